import { describe, expect, it, vi } from 'vitest'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Wizard } from './Wizard.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'

describe('Wizard', () => {
  it('starts at the family and moves on once it exists', async () => {
    server.use(
      http.post(api('/families'), () =>
        HttpResponse.json({ id: 'f9', name: 'Okafor', time_zone: 'UTC' }, { status: 201 }),
      ),
      http.get(api('/families/f9/:resource'), () =>
        HttpResponse.json({ items: [], next_cursor: null }),
      ),
      http.post(api('/families/f9/invitations'), () =>
        HttpResponse.json({ url: 'http://x/invite/abc', expires_at: '2026-12-12' }),
      ),
    )
    renderWith(<Wizard onFinished={vi.fn()} />)
    expect(screen.getByRole('button', { name: '2. Guardians' })).toBeDisabled()
    await userEvent.type(screen.getByLabelText('Family name'), 'Okafor')
    await userEvent.click(screen.getByRole('button', { name: 'Create family' }))
    expect(
      await screen.findByRole('heading', { name: 'Guardians and teaching hours' }),
    ).toBeInTheDocument()
    expect(screen.getByRole('button', { name: '2. Guardians' })).toHaveAttribute(
      'aria-current',
      'step',
    )
    await userEvent.click(screen.getByRole('button', { name: 'Make an invitation link' }))
    expect(await screen.findByText('http://x/invite/abc')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Next: Children' }))
    expect(screen.getByRole('heading', { name: 'Children' })).toBeInTheDocument()
  })
})
