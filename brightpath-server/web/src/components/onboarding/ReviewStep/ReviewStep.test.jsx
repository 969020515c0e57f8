import { describe, expect, it, vi } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ReviewStep } from './ReviewStep.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'
import { FID } from '../../../test/fixtures.js'

describe('ReviewStep', () => {
  it('counts what was entered and makes the first plan', async () => {
    server.use(
      http.get(api(`/families/${FID}/:resource`), ({ params }) =>
        HttpResponse.json({
          items:
            params.resource === 'students'
              ? [
                  { id: 'a', name: 'Ada' },
                  { id: 'b', name: 'Ben' },
                ]
              : [],
          next_cursor: null,
        }),
      ),
      http.post(api(`/families/${FID}/plan`), () =>
        HttpResponse.json({
          week_start: '2026-12-07',
          score: { total: 5 },
          unscheduled: [],
          planned: 10,
        }),
      ),
    )
    const onPlanned = vi.fn()
    renderWith(<ReviewStep familyId={FID} onPlanned={onPlanned} />)
    expect(await screen.findByText(/Children: 2/)).toHaveTextContent('Children: 2 (Ada, Ben)')
    await userEvent.click(screen.getByRole('button', { name: 'Make the first plan' }))
    await waitFor(() => expect(onPlanned).toHaveBeenCalled())
    expect(onPlanned.mock.calls[0][0]).toMatchObject({ week_start: '2026-12-07', planned: 10 })
  })
})
