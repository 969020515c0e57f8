import { describe, expect, it } from 'vitest'
import { act, waitFor } from '@testing-library/react'
import {
  useCoopClasses,
  useCoops,
  useDryRun,
  useImportJob,
  useImports,
  useRosterFamilies,
} from './coop.js'
import { ApiError } from './client.js'
import { keys } from './keys.js'
import { renderHookWith } from '../test/render.jsx'
import { server, http, HttpResponse, api, coopHandlers } from '../test/server.js'
import { CID, appliedReport, job } from '../test/fixtures.js'

describe('co-op hooks', () => {
  it('useCoops reads the bare array, and a server without the route as none', async () => {
    server.use(...coopHandlers())
    const { result } = renderHookWith(() => useCoops())
    await waitFor(() => expect(result.current.data).toEqual([expect.objectContaining({ id: CID })]))
    server.use(
      http.get(api('/coops'), () =>
        HttpResponse.json({ status: 404, detail: 'no such route' }, { status: 404 }),
      ),
    )
    const other = renderHookWith(() => useCoops())
    await waitFor(() => expect(other.result.current.data).toEqual([]))
  })

  it('useImports reads the {items} list newest first', async () => {
    server.use(...coopHandlers())
    const { result } = renderHookWith(() => useImports(CID))
    await waitFor(() => expect(result.current.data?.[0].id).toBe('imp2'))
  })

  it('useDryRun sends the raw zip and reports a refusal as an ApiError', async () => {
    server.use(
      http.post(api(`/coops/${CID}/imports`), () =>
        HttpResponse.json(
          { status: 422, detail: 'not a zip file', hint: 'choose the .zip', field: 'body' },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    const { result } = renderHookWith(() => useDryRun(CID))
    const file = new File(['a,b'], 'x.zip')
    const e = await act(() => result.current.mutateAsync({ file }).catch((x) => x))
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.message).toBe('not a zip file')
    expect(e.hint).toBe('choose the .zip')
  })

  it('useImportJob reads the result as a report and stops when the job is over', async () => {
    let polls = 0
    server.use(
      http.get(api('/jobs/j9'), () => {
        polls += 1
        return HttpResponse.json(job({ id: 'j9' }))
      }),
    )
    const { result } = renderHookWith(() => useImportJob(CID, 'j9'))
    await waitFor(() => expect(result.current.data?.report?.refused).toBe(false))
    expect(result.current.data.report.changes.users.examples.created).toHaveLength(20)
    await new Promise((r) => setTimeout(r, 1300))
    expect(polls).toBe(1)
  })

  it('useRosterFamilies and useCoopClasses walk every page', async () => {
    server.use(...coopHandlers())
    server.use(
      http.get(api(`/coops/${CID}/families`), ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor')
        const page = Number(cursor ?? 0)
        return HttpResponse.json({
          items: [{ id: `f${page}`, name: `Family ${page}`, guardians: [], students: [] }],
          next_cursor: page < 2 ? String(page + 1) : null,
        })
      }),
    )
    const families = renderHookWith(() => useRosterFamilies(CID)).result
    await waitFor(() => expect(families.current.data?.map((f) => f.id)).toEqual(['f0', 'f1', 'f2']))
    const classes = renderHookWith(() => useCoopClasses(CID)).result
    await waitFor(() =>
      expect(classes.current.data?.map((c) => c.title)).toEqual(['Art Studio', 'Hands-on Science']),
    )
    expect(classes.current.data[1].students[1]).toEqual({ name: 'June Park', family: null })
  })

  it('an applied import makes the roster and class lists stale', async () => {
    server.use(...coopHandlers())
    server.use(
      http.get(api('/jobs/j8'), () =>
        HttpResponse.json(job({ id: 'j8', result: appliedReport() })),
      ),
    )
    const { client, result } = renderHookWith(() => ({
      classes: useCoopClasses(CID),
      families: useRosterFamilies(CID),
    }))
    await waitFor(() => expect(result.current.classes.isSuccess).toBe(true))
    await waitFor(() => expect(result.current.families.isSuccess).toBe(true))
    let classesAsked = 0
    server.use(
      http.get(api(`/coops/${CID}/classes`), () => {
        classesAsked += 1
        return HttpResponse.json({ items: [], next_cursor: null })
      }),
    )
    const job8 = renderHookWith(() => useImportJob(CID, 'j8'), { client }).result
    await waitFor(() => expect(job8.current.data?.report?.dry_run).toBe(false))
    // Refetched: the open page reads the new lists.
    await waitFor(() => expect(client.getQueryData(keys.coopClasses(CID))).toEqual([]))
    await waitFor(() =>
      expect(client.getQueryState(keys.rosterFamilies(CID)).dataUpdateCount).toBe(2),
    )
    expect(classesAsked).toBe(1)
  })
})
