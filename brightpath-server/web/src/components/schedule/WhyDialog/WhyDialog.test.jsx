import { describe, expect, it, vi } from 'vitest'
import { screen } from '@testing-library/react'
import { WhyDialog } from './WhyDialog.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'
import { FID, session } from '../../../test/fixtures.js'

describe('WhyDialog', () => {
  it('lists the reasons the server gives', async () => {
    server.use(
      http.get(api(`/families/${FID}/sessions/s1/why`), () =>
        HttpResponse.json({ session: 's1', lines: ['Fits Ben’s hours.', 'Led by Maria.'] }),
      ),
    )
    renderWith(<WhyDialog familyId={FID} session={session()} onClose={vi.fn()} />)
    expect(screen.getByRole('dialog', { name: 'Why is Math 5 here?' })).toBeInTheDocument()
    expect(await screen.findByText('Led by Maria.')).toBeInTheDocument()
  })
})
