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
  throw refusal(res.status, res.statusText, type.includes('json') ? await res.text() : '')
}

/** The ApiError for a refusal, from its problem+json text (when it has one). */
function refusal(status, statusText, text) {
  let problem = { title: statusText }
  try {
    const parsed = ProblemSchema.safeParse(JSON.parse(text))
    if (parsed.success) problem = parsed.data
  } catch {
    // not JSON: the status says it
  }
  return new ApiError(status, problem)
}

/** `attachment; filename="…"` (ASCII, quotes and backslashes replaced) and `filename*` (the name in UTF-8). */
export function contentDisposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16)}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`
}

/**
 * @typedef {object} UploadOptions
 * @property {string} [method] POST unless told
 * @property {Blob} body the file, sent as it is
 * @property {string} contentType e.g. application/zip
 * @property {string} [fileName] sent as Content-Disposition, so the server can name the upload
 * @property {(sent: number, total: number) => void} [onProgress] bytes sent so far
 * @property {import('zod').ZodType} [schema] checks the JSON answer
 * @property {AbortSignal} [signal]
 */

/**
 * Sends a file as the raw body, reporting upload progress (fetch cannot),
 * with the same CSRF header, problem+json errors and server-down detection
 * as `send`. Resolves to the parsed JSON answer.
 * @param {string} path
 * @param {UploadOptions} opts
 */
export async function upload(
  path,
  { method = 'POST', body, contentType, fileName, onProgress, schema, signal },
) {
  const url = new URL(path.startsWith('/api') ? path : `${BASE}${path}`, window.location.origin)
  // The bytes themselves: every XMLHttpRequest (and test double) sends those alike.
  const bytes = await body.arrayBuffer()
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('X-BrightPath-CSRF', '1')
    xhr.setRequestHeader('Content-Type', contentType)
    if (fileName) xhr.setRequestHeader('Content-Disposition', contentDisposition(fileName))
    if (onProgress && xhr.upload) {
      xhr.upload.onprogress = (e) =>
        onProgress(e.loaded, e.lengthComputable ? e.total : bytes.byteLength)
    }
    const abort = () => xhr.abort()
    signal?.addEventListener('abort', abort)
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    xhr.onerror = () => {
      setServerDown(true)
      reject(new NetworkError())
    }
    xhr.onload = () => {
      signal?.removeEventListener('abort', abort)
      const type = xhr.getResponseHeader('content-type') ?? ''
      if ([502, 503, 504].includes(xhr.status) && !type.includes('json')) {
        setServerDown(true)
        return reject(new NetworkError(`the server answered ${xhr.status}`))
      }
      setServerDown(false)
      if (xhr.status < 200 || xhr.status >= 300) {
        return reject(
          refusal(xhr.status, xhr.statusText, type.includes('json') ? xhr.responseText : ''),
        )
      }
      try {
        const data = xhr.responseText ? JSON.parse(xhr.responseText) : null
        resolve(schema ? schema.parse(data) : data)
      } catch (e) {
        reject(e)
      }
    }
    xhr.send(bytes)
  })
}

/** True for a refusal because someone else changed the row first. */
export function isConflict(e) {
  return e instanceof ApiError && (e.status === 412 || e.kind === 'conflict')
}
