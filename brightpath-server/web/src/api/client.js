// The one fetch client: JSON in and out, problem+json errors, the CSRF
// header on every request, ETags, and zod checks of what comes back.
import { setServerDown } from './connection.js'
import { ProblemSchema } from './schemas.js'

export const BASE = '/api/v1'

/** A refusal from the server, carrying its problem+json body. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{detail?: string, title?: string, kind?: string, hint?: string, field?: string, errors?: Array<{line?: number, column?: number, field?: string, message: string}>}} problem
   */
  constructor(status, problem) {
    super(problem.detail || problem.title || `request failed (${status})`)
    this.name = 'ApiError'
    this.status = status
    this.kind = problem.kind ?? 'unknown'
    this.hint = problem.hint
    this.field = problem.field
    this.errors = problem.errors ?? []
  }
}

/** The server could not be reached (or answered as a proxy does when it is down). */
export class NetworkError extends Error {
  constructor(message = 'the server does not answer') {
    super(message)
    this.name = 'NetworkError'
  }
}

/**
 * @typedef {object} RequestOptions
 * @property {string} [method]
 * @property {unknown} [json] a body sent as JSON
 * @property {string} [text] a raw text body
 * @property {string|number} [ifMatch] the version read, sent as If-Match
 * @property {string} [ifNoneMatch]
 * @property {import('zod').ZodType} [schema] checks the JSON answer
 * @property {AbortSignal} [signal]
 */

/**
 * Sends a request; resolves to the parsed body (or the Response for 304 and raw use).
 * @param {string} path under /api/v1 unless it starts with '/'+'api' already
 * @param {RequestOptions} [opts]
 */
export async function request(path, opts = {}) {
  const res = await send(path, opts)
  if (res.status === 204) return null
  const data = await res.json()
  return opts.schema ? opts.schema.parse(data) : data
}

/**
 * Like request, but answers the Response itself (for ETags and 304).
 * @param {string} path
 * @param {RequestOptions} [opts]
 */
export async function send(path, opts = {}) {
  const { method = 'GET', json, text, ifMatch, ifNoneMatch, signal } = opts
  const headers = { Accept: 'application/json', 'X-BrightPath-CSRF': '1' }
  let body
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(json)
  } else if (text !== undefined) {
    headers['Content-Type'] = 'text/plain'
    body = text
  }
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`
  if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch
  // Absolute, so the same client runs under Node in tests.
  const url = new URL(path.startsWith('/api') ? path : `${BASE}${path}`, window.location.origin)
  let res
  try {
    res = await fetch(url, { method, headers, body, signal, credentials: 'same-origin' })
  } catch (e) {
    if (e?.name === 'AbortError') throw e
    setServerDown(true)
    throw new NetworkError()
  }
  const type = res.headers.get('content-type') ?? ''
  if ([502, 503, 504].includes(res.status) && !type.includes('json')) {
    setServerDown(true)
    throw new NetworkError(`the server answered ${res.status}`)
  }
  setServerDown(false)
  if (res.ok || res.status === 304) return res
  let problem = { title: res.statusText }
  if (type.includes('json')) {
    const parsed = ProblemSchema.safeParse(await res.json().catch(() => ({})))
    if (parsed.success) problem = parsed.data
  }
  throw new ApiError(res.status, problem)
}

/** True for a refusal because someone else changed the row first. */
export function isConflict(e) {
  return e instanceof ApiError && (e.status === 412 || e.kind === 'conflict')
}
