import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Dialog } from './Dialog.jsx'
import { Button } from '../Button/index.js'

describe('Dialog', () => {
  it('opens from its trigger, is named by its title and closes with Escape', async () => {
    render(
      <Dialog title="Move lesson" trigger={<Button>Move</Button>}>
        <p>Pick a time</p>
      </Dialog>,
    )
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Move' }))
    expect(screen.getByRole('dialog', { name: 'Move lesson' })).toHaveTextContent('Pick a time')
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })
})
