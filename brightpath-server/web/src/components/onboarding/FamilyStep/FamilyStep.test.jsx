import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { FamilyStep } from './FamilyStep.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'

describe('FamilyStep', () => {
  it('creates the family and hands it on', async () => {
    let sent
    server.use(
      http.post(api('/families'), async ({ request }) => {
        sent = await request.json()
        return HttpResponse.json(
          { id: 'f9', name: sent.name, time_zone: sent.time_zone },
          { status: 201 },
        )
      }),
    )
    const onCreated = vi.fn()
    renderWith(<FamilyStep onCreated={onCreated} />)
    await userEvent.type(screen.getByLabelText('Family name'), 'Okafor Family')
    const tz = screen.getByLabelText('Time zone')
    await userEvent.clear(tz)
    await userEvent.type(tz, 'Europe/Berlin')
    await userEvent.type(screen.getByLabelText('Your name'), 'Ngozi')
    await userEvent.click(screen.getByRole('button', { name: 'Create family' }))
    await waitFor(() => expect(onCreated).toHaveBeenCalled())
    expect(sent).toEqual({
      name: 'Okafor Family',
      time_zone: 'Europe/Berlin',
      guardian_name: 'Ngozi',
    })
    expect(onCreated.mock.calls[0][0]).toMatchObject({ id: 'f9' })
  })

  it('shows a refusal next to the field at fault', async () => {
    server.use(
      http.post(api('/families'), () =>
        HttpResponse.json(
          {
            status: 422,
            kind: 'invalid',
            detail: 'unknown time zone "Mars/Base"',
            field: 'time_zone',
          },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    renderWith(<FamilyStep onCreated={vi.fn()} />)
    await userEvent.type(screen.getByLabelText('Family name'), 'X')
    await userEvent.click(screen.getByRole('button', { name: 'Create family' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(/unknown time zone/),
    )
  })
})
