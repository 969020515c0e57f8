import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  ApiError,
  NetworkError,
  contentDisposition,
  isConflict,
  request,
  upload,
} from './client.js'
import { isServerDown } from './connection.js'
import { server, http, HttpResponse, api } from '../test/server.js'

describe('the API client', () => {
  it('sends the CSRF header, JSON and If-Match', async () => {
    let seen
    server.use(
      http.post(api('/x'), async ({ request: r }) => {
        seen = {
          csrf: r.headers.get('x-brightpath-csrf'),
          ifMatch: r.headers.get('if-match'),
          body: await r.json(),
        }
        return HttpResponse.json({ ok: true })
      }),
    )
    await request('/x', { method: 'POST', json: { a: 1 }, ifMatch: 7 })
    expect(seen).toEqual({ csrf: '1', ifMatch: '"7"', body: { a: 1 } })
  })

  it('turns problem+json into an ApiError with its field and hint', async () => {
    server.use(
      http.get(api('/x'), () =>
        HttpResponse.json(
          {
            status: 422,
            kind: 'invalid',
            detail: 'bad zone',
            hint: 'use Area/City',
            field: 'time_zone',
          },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    const e = await request('/x').catch((x) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({
      status: 422,
      kind: 'invalid',
      message: 'bad zone',
      hint: 'use Area/City',
      field: 'time_zone',
    })
  })

  it('rejects an answer of the wrong shape', async () => {
    server.use(http.get(api('/x'), () => HttpResponse.json({ n: 'one' })))
    await expect(request('/x', { schema: z.object({ n: z.number() }) })).rejects.toThrow()
  })

  it('marks the server down when it cannot be reached, and up again', async () => {
    server.use(http.get(api('/x'), () => HttpResponse.error()))
    await expect(request('/x')).rejects.toBeInstanceOf(NetworkError)
    expect(isServerDown()).toBe(true)
    server.use(http.get(api('/x'), () => HttpResponse.json({})))
    await request('/x')
    expect(isServerDown()).toBe(false)
  })

  it('knows a conflict', () => {
    expect(isConflict(new ApiError(412, { kind: 'conflict' }))).toBe(true)
    expect(isConflict(new ApiError(422, { kind: 'invalid' }))).toBe(false)
  })

  it('uploads a file as the raw body, with progress, the CSRF header and its content type', async () => {
    let seen
    server.use(
      http.post(api('/up'), async ({ request: r }) => {
        seen = {
          csrf: r.headers.get('x-brightpath-csrf'),
          type: r.headers.get('content-type'),
          body: await r.text(),
        }
        return HttpResponse.json({ import: 'i', job: 'j', dry_run: true }, { status: 202 })
      }),
    )
    const progress = []
    const out = await upload('/up', {
      body: new Blob(['PK zip bytes']),
      contentType: 'application/zip',
      onProgress: (sent, total) => progress.push([sent, total]),
      schema: z.object({ job: z.string() }),
    })
    expect(out).toEqual({ job: 'j' })
    expect(seen).toEqual({ csrf: '1', type: 'application/zip', body: 'PK zip bytes' })
    for (const [sent, total] of progress) expect(sent).toBeLessThanOrEqual(total)
  })

  it('turns an upload refused with problem+json into an ApiError', async () => {
    server.use(
      http.post(api('/up'), () =>
        HttpResponse.json(
          { status: 403, detail: 'you do not administer this co-op', hint: 'ask its admin' },
          { status: 403, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    const e = await upload('/up', { body: new Blob(['x']), contentType: 'application/zip' }).catch(
      (x) => x,
    )
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.message, e.hint]).toEqual([
      403,
      'you do not administer this co-op',
      'ask its admin',
    ])
  })

  it('names an upload in Content-Disposition, any name', () => {
    expect(contentDisposition('roster.zip')).toBe(
      `attachment; filename="roster.zip"; filename*=UTF-8''roster.zip`,
    )
    expect(contentDisposition('Año "1".zip')).toBe(
      `attachment; filename="A_o _1_.zip"; filename*=UTF-8''A%C3%B1o%20%221%22.zip`,
    )
  })
})
