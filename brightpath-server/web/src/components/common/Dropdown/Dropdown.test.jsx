import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Dropdown } from './Dropdown.jsx'
import { Button } from '../Button/index.js'

describe('Dropdown', () => {
  it('opens by keyboard and runs the chosen item', async () => {
    const pin = vi.fn()
    const why = vi.fn()
    render(
      <Dropdown
        label="Actions for Math"
        trigger={<Button>Actions</Button>}
        items={[
          { label: 'Pin', onSelect: pin },
          { label: 'Why?', onSelect: why },
        ]}
      />,
    )
    screen.getByRole('button', { name: 'Actions' }).focus()
    await userEvent.keyboard('{Enter}')
    const menu = await screen.findByRole('menu')
    expect(menu).toBeInTheDocument()
    await userEvent.click(screen.getByRole('menuitem', { name: 'Why?' }))
    expect(why).toHaveBeenCalledTimes(1)
    expect(pin).not.toHaveBeenCalled()
  })
})
