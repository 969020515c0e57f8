import { setupServer } from 'msw/node'
import { http, HttpResponse } from 'msw'
import {
  CID,
  FID,
  coop,
  coopClasses,
  family,
  imports,
  job,
  me,
  pacing,
  rosterFamilies,
  week,
} from './fixtures.js'

const api = (p) => `*/api/v1${p}`

/** Default answers; tests override with server.use(...). */
export const handlers = [
  http.get(api('/me'), () => HttpResponse.json(me)),
  http.get(api('/sign-in-options'), () => HttpResponse.json({ provider: true })),
  http.get(api('/families'), () => HttpResponse.json({ items: [family], next_cursor: null })),
  http.get(api(`/families/${FID}`), () => HttpResponse.json(family)),
  http.get(api(`/families/${FID}/week`), () =>
    HttpResponse.json(week(), { headers: { ETag: '"w1"' } }),
  ),
  http.get(api(`/families/${FID}/progress`), () => HttpResponse.json(pacing)),
  http.get(api(`/families/${FID}/insights`), () =>
    HttpResponse.json({
      lengths: { reason: 'too little feedback to learn from (fewer than two weeks)' },
      suggestions: [],
      course_lengths: [],
    }),
  ),
  // Co-ops: none administered unless a test says so (see coopHandlers).
  http.get(api('/coops'), () => HttpResponse.json([])),
]

/**
 * A co-op admin of CID ("Big Co-op"): its imports, a dry run and an apply
 * that answer 202 with a job, the job (a succeeded dry run unless told), and
 * its roster's families and classes (one page each; the fixtures unless told).
 * @param {{job?: object, families?: object[], classes?: object[]}} [o]
 */
export const coopHandlers = (o = {}) => [
  http.get(api('/coops'), () => HttpResponse.json([coop])),
  http.get(api(`/coops/${CID}/imports`), () =>
    HttpResponse.json({ items: imports, next_cursor: null }),
  ),
  http.post(api(`/coops/${CID}/imports`), () =>
    HttpResponse.json(
      { import: 'imp3', job: 'job1', url: '/api/v1/jobs/job1', dry_run: true },
      { status: 202, headers: { Location: '/api/v1/jobs/job1' } },
    ),
  ),
  http.post(api(`/coops/${CID}/imports/imp3/apply`), () =>
    HttpResponse.json(
      { import: 'imp3', job: 'job2', url: '/api/v1/jobs/job2', dry_run: false },
      { status: 202, headers: { Location: '/api/v1/jobs/job2' } },
    ),
  ),
  http.get(api('/jobs/job1'), () => HttpResponse.json(o.job ?? job())),
  http.get(api(`/coops/${CID}/families`), () =>
    HttpResponse.json({ items: o.families ?? rosterFamilies, next_cursor: null }),
  ),
  http.get(api(`/coops/${CID}/classes`), () =>
    HttpResponse.json({ items: o.classes ?? coopClasses, next_cursor: null }),
  ),
]

export const server = setupServer(...handlers)
export { http, HttpResponse, api }
