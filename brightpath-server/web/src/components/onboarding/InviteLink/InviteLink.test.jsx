import { describe, expect, it } from 'vitest'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { InviteLink } from './InviteLink.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'
import { FID } from '../../../test/fixtures.js'

describe('InviteLink', () => {
  it('makes a link for the e-mail given and shows it', async () => {
    let sent
    server.use(
      http.post(api(`/families/${FID}/invitations`), async ({ request }) => {
        sent = await request.json()
        return HttpResponse.json({ url: 'http://h/invite/t1', expires_at: '2026-12-12T00:00:00Z' })
      }),
    )
    renderWith(<InviteLink familyId={FID} />)
    await userEvent.type(screen.getByLabelText('Their e-mail (optional)'), 'sam@example.org')
    await userEvent.click(screen.getByRole('button', { name: 'Make an invitation link' }))
    expect(await screen.findByRole('status')).toHaveTextContent('http://h/invite/t1')
    expect(sent).toEqual({ email: 'sam@example.org' })
  })
})
