import { describe, expect, it } from 'vitest'
import { act, waitFor } from '@testing-library/react'
import { useCoops, useDryRun, useImportJob, useImports } from './coop.js'
import { ApiError } from './client.js'
import { renderHookWith } from '../test/render.jsx'
import { server, http, HttpResponse, api, coopHandlers } from '../test/server.js'
import { CID, job } from '../test/fixtures.js'

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
})
