import { describe, expect, it, vi } from 'vitest'
import { screen } from '@testing-library/react'
import Login from './Login.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse, api } from '../test/server.js'

const nobody = () =>
  HttpResponse.json(
    { status: 401, kind: 'unauthorized', detail: 'sign in first' },
    { status: 401, headers: { 'content-type': 'application/problem+json' } },
  )

describe('the sign-in page', () => {
  it('offers Google when the server has a provider', async () => {
    server.use(
      http.get(api('/me'), nobody),
      http.get(api('/sign-in-options'), () => HttpResponse.json({ provider: true })),
    )
    renderWith(<Login />, { route: '/sign-in' })
    expect(await screen.findByRole('link', { name: 'Sign in with Google' })).toHaveAttribute(
      'href',
      '/login/google',
    )
  })

  it('offers only the one-time link when it has none', async () => {
    let asked = false
    server.use(
      http.get(api('/me'), nobody),
      http.get(api('/sign-in-options'), () => {
        asked = true
        return HttpResponse.json({ provider: false })
      }),
    )
    renderWith(<Login />, { route: '/sign-in' })
    expect(await screen.findByText(/one-time sign-in link/)).toBeInTheDocument()
    await vi.waitFor(() => expect(asked).toBe(true))
    await vi.waitFor(() =>
      expect(screen.queryByRole('link', { name: 'Sign in with Google' })).toBeNull(),
    )
  })
})
