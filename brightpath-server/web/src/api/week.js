import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { request, send } from './client.js'
import {
  ChangeSchema,
  MovesSchema,
  InsightsSchema,
  PacingSchema,
  PlanOutcomeSchema,
  WeekSchema,
  WhySchema,
} from './schemas.js'
import { keys } from './keys.js'

/** How often an open week asks whether anything changed (304 when not). */
export const POLL_MS = 5000

/**
 * A week's plan, polled with its ETag: an unchanged week costs a 304, a
 * change made elsewhere (the other parent, the CLI) shows without reload.
 * @param {string} fid
 * @param {string} [date] any day of the week; default: the server's choice
 */
export function useWeek(fid, date) {
  const qc = useQueryClient()
  const key = keys.week(fid, date)
  return useQuery({
    queryKey: key,
    enabled: Boolean(fid),
    refetchInterval: POLL_MS,
    queryFn: async ({ signal }) => {
      const prev = qc.getQueryState(key)
      const etag = prev?.data ? qc.getQueryData([...key, 'etag']) : undefined
      const q = date ? `?date=${encodeURIComponent(date)}` : ''
      const res = await send(`/families/${fid}/week${q}`, { ifNoneMatch: etag, signal })
      if (res.status === 304 && prev?.data) return prev.data
      qc.setQueryData([...key, 'etag'], res.headers.get('etag') ?? undefined)
      return WeekSchema.parse(await res.json())
    },
  })
}

const optimistic = {
  done: (s, body) => ({ ...s, status: body?.partial ? 'partial' : 'done' }),
  skip: (s) => ({ ...s, status: 'skipped' }),
  pin: (s) => ({ ...s, pinned: true }),
  unpin: (s) => ({ ...s, pinned: false }),
}

/**
 * Done, skip, move, pin, unpin: each names the version read (If-Match).
 * Marks show at once and roll back when the server refuses; a move waits
 * for the server (it checks every rule), so nothing moves on a refusal.
 * @param {string} fid
 * @param {string} [date]
 */
export function useSessionAction(fid, date) {
  const qc = useQueryClient()
  const key = keys.week(fid, date)
  return useMutation({
    /** @param {{session: {id: string, version: number}, action: 'done'|'skip'|'move'|'pin'|'unpin', body?: object}} v */
    mutationFn: ({ session, action, body }) =>
      request(`/families/${fid}/sessions/${session.id}/${action}`, {
        method: 'POST',
        json: body ?? {},
        ifMatch: session.version,
        schema: ChangeSchema,
      }),
    onMutate: async ({ session, action, body }) => {
      const change = optimistic[action]
      if (!change) return {}
      await qc.cancelQueries({ queryKey: key })
      const prev = qc.getQueryData(key)
      if (prev) {
        qc.setQueryData(key, {
          ...prev,
          sessions: prev.sessions.map((s) => (s.id === session.id ? change(s, body) : s)),
        })
      }
      return { prev }
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.prev) qc.setQueryData(key, ctx.prev)
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.weeks(fid) }),
  })
}

/** Undo the caller's own last change. */
export function useUndo(fid) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => request(`/families/${fid}/undo`, { method: 'POST', schema: ChangeSchema }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.weeks(fid) }),
  })
}

/** Plan or re-plan a week (dry_run previews). */
export function usePlan(fid) {
  const qc = useQueryClient()
  return useMutation({
    /** @param {{week?: string, dry_run?: boolean}} body */
    mutationFn: (body) =>
      request(`/families/${fid}/plan`, { method: 'POST', json: body, schema: PlanOutcomeSchema }),
    onSuccess: (_d, body) => {
      if (!body?.dry_run) qc.invalidateQueries({ queryKey: keys.weeks(fid) })
    },
  })
}

/** Day off or catch-up, with a dry run first to show what would move. */
export function useReschedule(fid, what) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body) =>
      request(`/families/${fid}/${what}`, { method: 'POST', json: body, schema: MovesSchema }),
    onSuccess: (_d, body) => {
      if (!body?.dry_run) qc.invalidateQueries({ queryKey: keys.weeks(fid) })
    },
  })
}

/** The rules and preferences that put a session where it is. */
export function useWhy(fid, sid) {
  return useQuery({
    queryKey: keys.why(fid, sid),
    queryFn: () => request(`/families/${fid}/sessions/${sid}/why`, { schema: WhySchema }),
    enabled: Boolean(fid && sid),
  })
}

/** What the feedback taught the family's models (learned lengths, suggestions). */
export function useInsights(fid) {
  return useQuery({
    queryKey: keys.insights(fid),
    queryFn: () => request(`/families/${fid}/insights`, { schema: InsightsSchema }),
    enabled: Boolean(fid),
    staleTime: 60_000,
  })
}

export function useProgress(fid) {
  return useQuery({
    queryKey: keys.progress(fid),
    queryFn: () => request(`/families/${fid}/progress`, { schema: PacingSchema }),
    enabled: Boolean(fid),
  })
}
