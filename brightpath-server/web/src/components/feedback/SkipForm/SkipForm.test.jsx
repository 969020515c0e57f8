import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { SkipForm } from './SkipForm.jsx'

describe('SkipForm', () => {
  it('needs a reason and sends it', async () => {
    const onSubmit = vi.fn()
    render(<SkipForm course="Math 5" onSubmit={onSubmit} />)
    const skip = screen.getByRole('button', { name: 'Skip lesson' })
    expect(skip).toBeDisabled()
    await userEvent.type(screen.getByLabelText('Reason'), 'dentist')
    await userEvent.click(skip)
    expect(onSubmit).toHaveBeenCalledWith({ reason: 'dentist' })
  })
})
