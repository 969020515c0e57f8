import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { WeekGrid } from './WeekGrid.jsx'
import { week } from '../../../test/fixtures.js'

describe('WeekGrid', () => {
  it('puts each lesson in its child’s row and day', () => {
    render(<WeekGrid week={week()} by="students" onAction={vi.fn()} onMove={vi.fn()} />)
    const ben = screen.getByRole('row', { name: /^Ben/ })
    expect(within(ben).getByRole('button', { name: /Math 5/ })).toBeInTheDocument()
    expect(within(ben).queryByRole('button', { name: /Phonics/ })).not.toBeInTheDocument()
    expect(within(ben).getByText(/Co-op morning/)).toBeInTheDocument()
  })

  it('shows parents’ rows by teacher', () => {
    render(<WeekGrid week={week()} by="guardians" onAction={vi.fn()} onMove={vi.fn()} />)
    const maria = screen.getByRole('row', { name: /^Maria/ })
    expect(within(maria).getAllByRole('button')).toHaveLength(2)
  })

  it('shows one day on a phone', () => {
    render(
      <WeekGrid week={week()} by="students" day="2026-12-08" onAction={vi.fn()} onMove={vi.fn()} />,
    )
    expect(screen.getAllByRole('columnheader')).toHaveLength(2)
    expect(screen.queryByRole('button', { name: /Math 5/ })).not.toBeInTheDocument()
  })

  it('asks to move a lesson a day on by keyboard', async () => {
    const onMove = vi.fn()
    render(<WeekGrid week={week()} by="students" onAction={vi.fn()} onMove={onMove} />)
    screen.getByRole('button', { name: /Math 5/ }).focus()
    await userEvent.keyboard('{Alt>}{ArrowRight}{/Alt}')
    expect(onMove).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), {
      date: '2026-12-08',
      start: '09:00',
    })
  })

  it('moves a dropped lesson to the cell’s day', () => {
    const onMove = vi.fn()
    const { container } = render(
      <WeekGrid week={week()} by="students" onAction={vi.fn()} onMove={onMove} />,
    )
    const cell = container.querySelector('tr:nth-child(2) td[data-date="2026-12-10"]')
    fireEvent.drop(cell, { dataTransfer: { getData: () => 's1' } })
    expect(onMove).toHaveBeenCalledWith(expect.objectContaining({ id: 's1' }), {
      date: '2026-12-10',
      start: '09:00',
    })
  })
})
