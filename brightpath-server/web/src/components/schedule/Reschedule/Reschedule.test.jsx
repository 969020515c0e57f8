import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Reschedule, describeMove } from './Reschedule.jsx'

describe('Reschedule', () => {
  it('previews a day off, then applies it', async () => {
    const onPreview = vi.fn(async () => ({
      diff: [{ course: 'Math 5', from: 'tue 09:00', to: 'thu 10:00' }],
    }))
    const onApply = vi.fn(async () => ({}))
    render(<Reschedule defaultDate="2026-12-08" onPreview={onPreview} onApply={onApply} />)
    await userEvent.click(screen.getByRole('button', { name: 'Preview day off' }))
    expect(onPreview).toHaveBeenCalledWith('day-off', { date: '2026-12-08', dry_run: true })
    const region = await screen.findByRole('region', { name: 'What will move' })
    expect(region).toHaveTextContent('Math 5 tue 09:00 → thu 10:00')
    expect(onApply).not.toHaveBeenCalled()
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }))
    expect(onApply).toHaveBeenCalledWith('day-off', { date: '2026-12-08', dry_run: false })
  })

  it('shows a refusal', async () => {
    const onPreview = vi.fn(async () => {
      throw new Error('2026-12-12 is not a school day')
    })
    render(<Reschedule defaultDate="2026-12-12" onPreview={onPreview} onApply={vi.fn()} />)
    await userEvent.click(screen.getByRole('button', { name: 'Preview day off' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('not a school day')
  })

  it('describes moves of any shape', () => {
    expect(describeMove('x')).toBe('x')
    expect(describeMove({ message: 'moved' })).toBe('moved')
    expect(describeMove({ course: 'Art', date: '2026-12-09', start: '10:00' })).toBe(
      'Art 2026-12-09 10:00',
    )
  })
})
