import { setupServer } from 'msw/node'
import { http, HttpResponse } from 'msw'
import { FID, family, me, pacing, week } from './fixtures.js'

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
]

export const server = setupServer(...handlers)
export { http, HttpResponse, api }
