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

/** The error for one form field, when the server named it. */
export function fieldError(e, field) {
  if (!(e instanceof ApiError)) return undefined
  if (e.field === field) return e.message
  const row = e.errors.find((r) => r.field === field)
  return row?.message
}
