import { describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import { Route, Routes } from 'react-router'
import Invite from './Invite.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse, api } from '../test/server.js'

const page = (
  <Routes>
    <Route path="/invitations/:token" element={<Invite />} />
    <Route path="/week" element={<p>the week</p>} />
  </Routes>
)

describe('the invitation page', () => {
  it('accepts once and opens the family’s week', async () => {
    let calls = 0
    server.use(
      http.post(api('/invitations/t1/accept'), () => {
        calls += 1
        return HttpResponse.json({ id: 'f2', name: 'Okafor', time_zone: 'UTC' })
      }),
    )
    renderWith(page, { route: '/invitations/t1' })
    expect(await screen.findByText('the week')).toBeInTheDocument()
    expect(calls).toBe(1)
    expect(localStorage.getItem('brightpath.family')).toBe('f2')
  })

  it('says why an invitation cannot be used', async () => {
    server.use(
      http.post(api('/invitations/old/accept'), () =>
        HttpResponse.json(
          { status: 404, kind: 'not_found', detail: 'this invitation was used or has expired' },
          { status: 404, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    renderWith(page, { route: '/invitations/old' })
    expect(await screen.findByRole('alert')).toHaveTextContent('used or has expired')
  })
})
