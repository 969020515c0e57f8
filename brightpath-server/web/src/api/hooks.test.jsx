import { describe, expect, it } from 'vitest'
import { act, waitFor } from '@testing-library/react'
import { useSessionAction, useWeek, usePlan, useProgress, useUndo } from './week.js'
import { useMe, useFamilies, useLogout } from './me.js'
import { useCreate, useList, useRemove, useTokens } from './family.js'
import { renderHookWith } from '../test/render.jsx'
import { server, http, HttpResponse, api } from '../test/server.js'
import { FID, session, week } from '../test/fixtures.js'

describe('React Query hooks', () => {
  it('useMe answers null when nobody is signed in', async () => {
    server.use(
      http.get(api('/me'), () =>
        HttpResponse.json(
          { status: 401, kind: 'unauthorized', detail: 'sign in first' },
          { status: 401 },
        ),
      ),
    )
    const { result } = renderHookWith(() => useMe())
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(result.current.data).toBeNull()
  })

  it('useFamilies reads the {items} list', async () => {
    const { result } = renderHookWith(() => useFamilies())
    await waitFor(() => expect(result.current.data).toHaveLength(1))
    expect(result.current.data[0].name).toBe('Rivera Family')
  })

  it('useWeek sends the ETag back and keeps the data on 304', async () => {
    const seen = []
    server.use(
      http.get(api(`/families/${FID}/week`), ({ request }) => {
        const inm = request.headers.get('if-none-match')
        seen.push(inm)
        if (inm === '"w1"')
          return new HttpResponse(null, { status: 304, headers: { ETag: '"w1"' } })
        return HttpResponse.json(week(), { headers: { ETag: '"w1"' } })
      }),
    )
    const { result } = renderHookWith(() => useWeek(FID))
    await waitFor(() => expect(result.current.data?.sessions).toHaveLength(2))
    const first = result.current.data
    await act(() => result.current.refetch())
    expect(seen).toEqual([null, '"w1"'])
    expect(result.current.data).toBe(first)
  })

  it('useSessionAction marks at once and rolls back on refusal', async () => {
    let release
    server.use(
      http.post(api(`/families/${FID}/sessions/s1/done`), async () => {
        await new Promise((r) => (release = r))
        return HttpResponse.json(
          { status: 412, kind: 'conflict', detail: 'changed' },
          { status: 412 },
        )
      }),
    )
    const { result, client } = renderHookWith(() => ({
      week: useWeek(FID),
      act: useSessionAction(FID),
    }))
    await waitFor(() => expect(result.current.week.data).toBeDefined())
    act(() => result.current.act.mutate({ session: session(), action: 'done' }))
    await waitFor(() =>
      expect(client.getQueryData(['week', FID, 'current']).sessions[0].status).toBe('done'),
    )
    release()
    await waitFor(() => expect(result.current.act.isError).toBe(true))
    expect(result.current.act.error.status).toBe(412)
    expect(client.getQueryData(['week', FID, 'current']).sessions[0].status).toBe('planned')
  })

  it('useSessionAction names the version read', async () => {
    let ifMatch
    server.use(
      http.post(api(`/families/${FID}/sessions/s1/move`), ({ request }) => {
        ifMatch = request.headers.get('if-match')
        return HttpResponse.json({ message: 'moved', sessions: ['s1'] })
      }),
    )
    const { result } = renderHookWith(() => useSessionAction(FID))
    await act(() =>
      result.current.mutateAsync({
        session: session(),
        action: 'move',
        body: { date: '2026-12-08', start: '09:00' },
      }),
    )
    expect(ifMatch).toBe('"3"')
  })

  it('usePlan, useUndo and useProgress call their endpoints', async () => {
    server.use(
      http.post(api(`/families/${FID}/plan`), () =>
        HttpResponse.json({ week_start: '2026-12-07', unscheduled: [], planned: 4 }),
      ),
      http.post(api(`/families/${FID}/undo`), () => HttpResponse.json({ message: 'undid: moved' })),
    )
    const { result } = renderHookWith(() => ({
      plan: usePlan(FID),
      undo: useUndo(FID),
      progress: useProgress(FID),
    }))
    expect((await act(() => result.current.plan.mutateAsync({}))).planned).toBe(4)
    expect((await act(() => result.current.undo.mutateAsync())).message).toBe('undid: moved')
    await waitFor(() => expect(result.current.progress.data).toHaveLength(2))
  })

  it('useList, useCreate and useTokens read lists and refresh after a create', async () => {
    const rows = []
    server.use(
      http.get(api(`/families/${FID}/guardians`), () =>
        HttpResponse.json({ items: rows, next_cursor: null }),
      ),
      http.post(api(`/families/${FID}/guardians`), async ({ request }) => {
        rows.push({ id: 'g1', ...(await request.json()) })
        return HttpResponse.json(rows[0], { status: 201 })
      }),
      http.get(api('/tokens'), () =>
        HttpResponse.json({ items: [{ id: 't', name: 'cron', scope: 'read' }], next_cursor: null }),
      ),
    )
    const { result } = renderHookWith(() => ({
      list: useList(FID, 'guardians'),
      create: useCreate(FID, 'guardians'),
      tokens: useTokens(),
    }))
    await waitFor(() => expect(result.current.list.data).toEqual([]))
    await act(() => result.current.create.mutateAsync({ name: 'Sam' }))
    await waitFor(() => expect(result.current.list.data).toHaveLength(1))
    await waitFor(() => expect(result.current.tokens.data[0].name).toBe('cron'))
  })

  it('useRemove names the version read, when the row has one', async () => {
    const seen = []
    server.use(
      http.delete(api(`/families/${FID}/students/:id`), ({ request, params }) => {
        seen.push([params.id, request.headers.get('if-match')])
        return new HttpResponse(null, { status: 204 })
      }),
    )
    const { result } = renderHookWith(() => useRemove(FID, 'students'))
    await act(() => result.current.mutateAsync({ id: 'a', version: 4 }))
    await act(() => result.current.mutateAsync({ id: 'b' }))
    expect(seen).toEqual([
      ['a', '"4"'],
      ['b', null],
    ])
  })

  it('useLogout forgets who was signed in', async () => {
    server.use(http.post(api('/logout'), () => new HttpResponse(null, { status: 204 })))
    const { result, client } = renderHookWith(() => ({ me: useMe(), out: useLogout() }))
    await waitFor(() => expect(result.current.me.data?.actor).toBe('maria@example.org'))
    await act(() => result.current.out.mutateAsync())
    expect(client.getQueryData(['me'])).toBeNull()
  })
})
