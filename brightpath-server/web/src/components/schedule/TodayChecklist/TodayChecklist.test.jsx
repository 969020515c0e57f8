import { describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { TodayChecklist } from './TodayChecklist.jsx'
import { session, week } from '../../../test/fixtures.js'

describe('TodayChecklist', () => {
  it('lists each child’s lessons and events in order, and marks them', async () => {
    const onMark = vi.fn()
    const w = week({
      sessions: [session(), session({ id: 's0', start: '08:30', end: '08:45', course: 'Typing' })],
      events: [{ ...week().events[0], date: '2026-12-07', start: '11:00', end: '12:00' }],
    })
    render(<TodayChecklist week={w} date="2026-12-07" onMark={onMark} />)
    const ben = screen.getByRole('region', { name: 'Ben' })
    const items = within(ben).getAllByRole('listitem')
    expect(items.map((i) => i.textContent.slice(0, 11))).toEqual([
      '08:30–08:45',
      '09:00–09:45',
      '11:00–12:00',
    ])
    await userEvent.click(within(ben).getByRole('button', { name: 'Done: Math 5 (Ben)' }))
    expect(onMark).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), 'done')
    await userEvent.click(within(ben).getByRole('button', { name: 'Skip: Typing (Ben)' }))
    expect(onMark).toHaveBeenLastCalledWith(expect.objectContaining({ id: 's0' }), 'skip')
  })

  it('shows marked lessons without buttons', () => {
    render(
      <TodayChecklist
        week={week({ sessions: [session({ status: 'done' })] })}
        date="2026-12-07"
        onMark={vi.fn()}
      />,
    )
    const ben = screen.getByRole('region', { name: 'Ben' })
    expect(ben).toHaveTextContent('Done')
    expect(within(ben).queryByRole('button')).not.toBeInTheDocument()
  })
})
