// Co-ops the caller administers and their roster imports: upload a OneRoster
// zip as a dry run, follow its job, apply the same upload, list past uploads;
// and what the imported roster holds (its families and its classes).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, request, upload } from './client.js'
import {
  CoopClassSchema,
  CoopsSchema,
  ImportReportSchema,
  ImportStartedSchema,
  ImportsSchema,
  JobSchema,
  RosterFamilySchema,
  pageOf,
} from './schemas.js'
import { keys } from './keys.js'

/** A job is over once it succeeded, failed or gave up. */
export const FINISHED = ['succeeded', 'failed', 'dead']

/** How often a running job is asked about, in ms. */
export const POLL_MS = 1000

/**
 * The co-ops the caller administers (`GET /coops`); an empty list for
 * everyone else. A server without the route (404) is read as none.
 */
export function useCoops(enabled = true) {
  return useQuery({
    queryKey: keys.coops,
    queryFn: async () => {
      try {
        return await request('/coops', { schema: CoopsSchema })
      } catch (e) {
        if (e instanceof ApiError && [403, 404].includes(e.status)) return []
        throw e
      }
    },
    enabled,
    staleTime: 60_000,
  })
}

/** Items asked for per page when walking a whole list (the server's most). */
export const PAGE_LIMIT = 500

/**
 * Every item of a paged list: asks `path?limit=…`, then again with each
 * answer's `next_cursor` until it is null (a cursor seen twice also ends it).
 * @template T
 * @param {string} path
 * @param {import('zod').ZodType<T>} item
 * @param {AbortSignal} [signal]
 * @returns {Promise<T[]>}
 */
export async function fetchAll(path, item, signal) {
  const schema = pageOf(item)
  const out = []
  const seen = new Set()
  let cursor = null
  do {
    const q = new URLSearchParams({ limit: String(PAGE_LIMIT) })
    if (cursor) q.set('cursor', cursor)
    const page = await request(`${path}?${q}`, { schema, signal })
    out.push(...page.items)
    seen.add(cursor)
    cursor = page.next_cursor ?? null
  } while (cursor && !seen.has(cursor))
  return out
}

/** The co-op's families with their guardians and children, by name (every page). */
export function useRosterFamilies(cid) {
  return useQuery({
    queryKey: keys.rosterFamilies(cid),
    queryFn: ({ signal }) => fetchAll(`/coops/${cid}/families`, RosterFamilySchema, signal),
    enabled: Boolean(cid),
    staleTime: 60_000,
  })
}

/** The co-op's classes with meetings, teachers and children, by title (every page). */
export function useCoopClasses(cid) {
  return useQuery({
    queryKey: keys.coopClasses(cid),
    queryFn: ({ signal }) => fetchAll(`/coops/${cid}/classes`, CoopClassSchema, signal),
    enabled: Boolean(cid),
    staleTime: 60_000,
  })
}

/** The co-op's uploads, newest first (`GET /coops/{coop}/imports`). */
export function useImports(cid) {
  return useQuery({
    queryKey: keys.imports(cid),
    queryFn: () => request(`/coops/${cid}/imports`, { schema: ImportsSchema }),
    enabled: Boolean(cid),
  })
}

/**
 * Upload a roster zip as a dry run: `POST /coops/{coop}/imports?dry_run=true&file_name=`
 * with the file as the body. Resolves to `{import, job, url, dry_run}`.
 */
export function useDryRun(cid) {
  const qc = useQueryClient()
  return useMutation({
    /** @param {{file: File, onProgress?: (sent: number, total: number) => void}} v */
    mutationFn: ({ file, onProgress }) =>
      upload(`/coops/${cid}/imports?dry_run=true&file_name=${encodeURIComponent(file.name)}`, {
        body: file,
        contentType: 'application/zip',
        fileName: file.name,
        onProgress,
        schema: ImportStartedSchema,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.imports(cid) }),
  })
}

/** Apply an upload already checked: `POST /coops/{coop}/imports/{import}/apply`. */
export function useApplyImport(cid) {
  return useMutation({
    /** @param {string} importId */
    mutationFn: (importId) =>
      request(`/coops/${cid}/imports/${importId}/apply`, {
        method: 'POST',
        schema: ImportStartedSchema,
      }),
  })
}

/**
 * A roster import's job (`GET /jobs/{id}`), asked every second until it is
 * over; `report` is its result read as an import report (null until then).
 * Stops asking once it is over or the server refused to say.
 */
export function useImportJob(cid, jid) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: keys.job(jid),
    queryFn: async () => {
      const job = await request(`/jobs/${jid}`, { schema: JobSchema })
      const report =
        job.status === 'succeeded' && job.result ? ImportReportSchema.parse(job.result) : null
      // Applied: the weeks it re-planned may be on screen elsewhere, and the
      // roster and class lists are now another.
      if (report && !report.dry_run) {
        qc.invalidateQueries({ queryKey: ['week'] })
        qc.invalidateQueries({ queryKey: keys.coopRoster(cid) })
      }
      if (FINISHED.includes(job.status)) qc.invalidateQueries({ queryKey: keys.imports(cid) })
      return { ...job, report }
    },
    enabled: Boolean(jid),
    refetchInterval: (q) =>
      q.state.status === 'error' || FINISHED.includes(q.state.data?.status) ? false : POLL_MS,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  })
}
