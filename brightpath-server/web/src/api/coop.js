// Co-ops the caller administers and their roster imports: upload a OneRoster
// zip as a dry run, follow its job, apply the same upload, list past uploads.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, request, upload } from './client.js'
import {
  CoopsSchema,
  ImportReportSchema,
  ImportStartedSchema,
  ImportsSchema,
  JobSchema,
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
      // Applied: the weeks it re-planned may be on screen elsewhere.
      if (report && !report.dry_run) qc.invalidateQueries({ queryKey: ['week'] })
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
