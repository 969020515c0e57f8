import { ApiError, NetworkError } from '../api/client.js'

/** A sentence for people from any error the API client throws. */
export function describe(e) {
  if (e instanceof ApiError) {
    if (e.status === 412)
      return 'Someone else changed this first; the page now shows their version.'
    return e.hint ? `${e.message} (${e.hint})` : e.message
  }
  if (e instanceof NetworkError) return 'The server does not answer; nothing was changed.'
  return e?.message ?? 'Something went wrong.'
}

/**
 * The error for one form field: the problem's `field`, a row's, or else the
 * field its detail names ("time zone", "daily cap"; a bare "name" only at
 * the start, as "name is empty").
 */
export function fieldError(e, field) {
  if (!(e instanceof ApiError)) return undefined
  if (e.field) return e.field === field ? e.message : undefined
  const row = e.errors.find((r) => r.field === field)
  if (row) return row.message
  const detail = e.message.toLowerCase()
  const words = field.replaceAll('_', ' ')
  const named = field === 'name' ? /^(the )?name\b/.test(detail) : detail.includes(words)
  return named ? e.message : undefined
}
