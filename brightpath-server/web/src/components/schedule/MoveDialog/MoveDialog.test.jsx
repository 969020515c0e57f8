import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MoveDialog } from './MoveDialog.jsx'
import { session, week } from '../../../test/fixtures.js'

describe('MoveDialog', () => {
  it('sends the chosen day and time', async () => {
    const onMove = vi.fn()
    render(<MoveDialog session={session()} days={week().days} onMove={onMove} onClose={vi.fn()} />)
    await userEvent.selectOptions(screen.getByLabelText('Day'), '2026-12-08')
    const start = screen.getByLabelText('Start')
    await userEvent.clear(start)
    await userEvent.type(start, '10:30')
    await userEvent.click(screen.getByRole('button', { name: 'Move' }))
    expect(onMove).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), {
      date: '2026-12-08',
      start: '10:30',
    })
  })

  it('shows the refusal next to the time', () => {
    render(
      <MoveDialog
        session={session()}
        days={week().days}
        onMove={vi.fn()}
        onClose={vi.fn()}
        error="Ben already has Nature Science"
      />,
    )
    expect(screen.getByLabelText('Start')).toHaveAccessibleDescription(
      'Ben already has Nature Science',
    )
  })
})
