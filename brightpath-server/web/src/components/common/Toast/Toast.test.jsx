import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import PropTypes from 'prop-types'
import { ToastProvider, useToast } from './Toast.jsx'

function Shower({ onUndo }) {
  const show = useToast()
  return (
    <button
      type="button"
      onClick={() => show({ title: 'Marked done', action: { label: 'Undo', onClick: onUndo } })}
    >
      go
    </button>
  )
}

Shower.propTypes = { onUndo: PropTypes.func.isRequired }

describe('Toast', () => {
  it('shows a message with an Undo action that runs', async () => {
    const onUndo = vi.fn()
    render(
      <ToastProvider>
        <Shower onUndo={onUndo} />
      </ToastProvider>,
    )
    await userEvent.click(screen.getByRole('button', { name: 'go' }))
    expect(await screen.findByText('Marked done')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(onUndo).toHaveBeenCalledTimes(1)
  })
})
