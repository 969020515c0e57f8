import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ResourceStep } from './ResourceStep.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'
import { FID } from '../../../test/fixtures.js'

const fields = [
  { name: 'name', label: 'Name', required: true },
  { name: 'daily_cap', label: 'Daily cap (minutes)', type: 'number' },
  {
    name: 'days',
    label: 'Days',
    type: 'checks',
    options: [
      { value: 'mon', label: 'Mon' },
      { value: 'tue', label: 'Tue' },
    ],
  },
]
const toBody = (v) => ({ name: v.name, daily_cap: Number(v.daily_cap), days: v.days })

describe('ResourceStep', () => {
  it('lists, adds and shows what was added', async () => {
    const rows = [{ id: 'a', name: 'Ada' }]
    let sent
    server.use(
      http.get(api(`/families/${FID}/students`), () =>
        HttpResponse.json({ items: rows, next_cursor: null }),
      ),
      http.post(api(`/families/${FID}/students`), async ({ request }) => {
        sent = await request.json()
        rows.push({ id: 'b', name: sent.name })
        return HttpResponse.json(rows[1], { status: 201 })
      }),
    )
    renderWith(
      <ResourceStep
        familyId={FID}
        resource="students"
        title="Children"
        fields={fields}
        toBody={toBody}
        summary={(s) => s.name}
      />,
    )
    const added = await screen.findByRole('list', { name: 'Children: added' })
    expect(within(added).getByText('Ada')).toBeInTheDocument()
    await userEvent.type(screen.getByLabelText('Name'), 'Ben')
    await userEvent.type(screen.getByLabelText('Daily cap (minutes)'), '240')
    await userEvent.click(screen.getByLabelText('Tue'))
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(within(added).getByText('Ben')).toBeInTheDocument())
    expect(sent).toEqual({ name: 'Ben', daily_cap: 240, days: ['tue'] })
    expect(screen.getByLabelText('Name')).toHaveValue('')
  })

  it('puts the problem next to the field it names', async () => {
    server.use(
      http.get(api(`/families/${FID}/students`), () =>
        HttpResponse.json({ items: [], next_cursor: null }),
      ),
      http.post(api(`/families/${FID}/students`), () =>
        HttpResponse.json(
          {
            status: 422,
            kind: 'invalid',
            detail: 'daily cap must be 1 to 720 minutes',
            field: 'daily_cap',
          },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    renderWith(
      <ResourceStep
        familyId={FID}
        resource="students"
        title="Children"
        fields={fields}
        toBody={toBody}
        summary={(s) => s.name}
      />,
    )
    await userEvent.type(screen.getByLabelText('Name'), 'Ben')
    await userEvent.type(screen.getByLabelText('Daily cap (minutes)'), '9999')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Daily cap (minutes)')).toHaveAccessibleDescription(
        'daily cap must be 1 to 720 minutes',
      ),
    )
  })
})
