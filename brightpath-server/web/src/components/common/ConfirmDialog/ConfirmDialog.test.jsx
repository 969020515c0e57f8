import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ConfirmDialog } from './ConfirmDialog.jsx'
import { Button } from '../Button/index.js'

const dialog = (onConfirm) => (
  <ConfirmDialog
    title="Apply roster.zip?"
    description="This creates 3 users."
    trigger={<Button>Apply</Button>}
    confirmLabel="Apply now"
    onConfirm={onConfirm}
  />
)

describe('ConfirmDialog', () => {
  it('asks, and confirms only on its action', async () => {
    const onConfirm = vi.fn()
    render(dialog(onConfirm))
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }))
    const d = screen.getByRole('alertdialog', { name: 'Apply roster.zip?' })
    expect(d).toHaveAccessibleDescription('This creates 3 users.')
    await userEvent.click(screen.getByRole('button', { name: 'Apply now' }))
    expect(onConfirm).toHaveBeenCalledTimes(1)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('cancels with Escape, doing nothing', async () => {
    const onConfirm = vi.fn()
    render(dialog(onConfirm))
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }))
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(onConfirm).not.toHaveBeenCalled()
  })
})
