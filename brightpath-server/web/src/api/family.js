// The family's own records (people, years, breaks, courses, events, feeds,
// invitations) and the caller's API tokens: list, create, change, delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { request } from './client.js'
import {
  AnyRowSchema,
  CurriculumReportSchema,
  FamilySchema,
  InvitationSchema,
  PacingSchema,
  RecordsSchema,
  TokenSchema,
  listOf,
} from './schemas.js'
import { keys } from './keys.js'

/** @typedef {'guardians'|'students'|'years'|'breaks'|'courses'|'events'|'feeds'} Resource */

export function useFamily(fid) {
  return useQuery({
    queryKey: keys.family(fid),
    queryFn: () => request(`/families/${fid}`, { schema: FamilySchema }),
    enabled: Boolean(fid),
  })
}

export function useCreateFamily() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body) =>
      request('/families', { method: 'POST', json: body, schema: FamilySchema }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: keys.families })
      qc.invalidateQueries({ queryKey: keys.me })
    },
  })
}

export function useUpdateFamily(fid) {
  const qc = useQueryClient()
  return useMutation({
    /** @param {{name?: string, time_zone?: string, version?: number}} v */
    mutationFn: ({ version, ...body }) =>
      request(`/families/${fid}`, {
        method: 'PATCH',
        json: body,
        ifMatch: version,
        schema: FamilySchema,
      }),
    onSuccess: (f) => {
      qc.setQueryData(keys.family(fid), f)
      qc.invalidateQueries({ queryKey: keys.families })
    },
  })
}

/**
 * @param {string} fid
 * @param {Resource} resource
 */
export function useList(fid, resource) {
  return useQuery({
    queryKey: keys.list(fid, resource),
    queryFn: () =>
      request(`/families/${fid}/${resource}?limit=200`, { schema: listOf(AnyRowSchema) }),
    enabled: Boolean(fid),
  })
}

/**
 * @param {string} fid
 * @param {Resource} resource
 */
export function useCreate(fid, resource) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body) =>
      request(`/families/${fid}/${resource}`, { method: 'POST', json: body, schema: AnyRowSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.list(fid, resource) }),
  })
}

/**
 * @param {string} fid
 * @param {Resource} resource
 */
export function useRemove(fid, resource) {
  const qc = useQueryClient()
  return useMutation({
    /** @param {{id: string, version?: number}} row the version read, when the row has one, guards against removing what someone else just changed (412) */
    mutationFn: (row) =>
      request(`/families/${fid}/${resource}/${row.id}`, { method: 'DELETE', ifMatch: row.version }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.list(fid, resource) }),
  })
}

/** Upload a curriculum (CSV or TOML); dry_run answers the row report only. */
export function useCurriculumUpload(fid) {
  return useMutation({
    /** @param {{course: string, format: 'csv'|'toml', text: string, dryRun: boolean}} v */
    mutationFn: ({ course, format, text, dryRun }) =>
      request(
        `/families/${fid}/courses/${course}/curriculum?format=${format}&dry_run=${dryRun}&mode=replace`,
        { method: 'POST', text, schema: CurriculumReportSchema },
      ),
  })
}

export function useInvite(fid) {
  return useMutation({
    mutationFn: (body) =>
      request(`/families/${fid}/invitations`, {
        method: 'POST',
        json: body,
        schema: InvitationSchema,
      }),
  })
}

export function useTokens() {
  return useQuery({
    queryKey: keys.tokens,
    queryFn: () => request('/tokens', { schema: listOf(TokenSchema) }),
  })
}

export function useCreateToken() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body) => request('/tokens', { method: 'POST', json: body, schema: TokenSchema }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  })
}

export function useRevokeToken() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id) => request(`/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.tokens }),
  })
}

/** A report as JSON (its CSV and HTML forms are plain links). */
export function useReport(fid, kind) {
  return useQuery({
    queryKey: keys.report(fid, kind),
    queryFn: () =>
      request(`/families/${fid}/reports/${kind}?format=json`, {
        schema: kind === 'progress' ? PacingSchema : RecordsSchema,
      }),
    enabled: Boolean(fid),
  })
}
