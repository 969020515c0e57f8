import { describe, expect, it } from 'vitest'
import { act, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ServerDownBanner } from './ServerDownBanner.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse } from '../test/server.js'
import { request } from '../api/client.js'

describe('ServerDownBanner', () => {
  it('appears when a request cannot reach the server and goes when it is back', async () => {
    let up = false
    server.use(
      http.get('*/api/v1/me', () => HttpResponse.error()),
      http.get('*/healthz', () =>
        up ? HttpResponse.json({ status: 'ok' }) : HttpResponse.error(),
      ),
    )
    renderWith(<ServerDownBanner />)
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    await act(() => request('/me').catch(() => {}))
    expect(screen.getByRole('alert')).toHaveTextContent('The server does not answer')
    up = true
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }))
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument())
  })
})
