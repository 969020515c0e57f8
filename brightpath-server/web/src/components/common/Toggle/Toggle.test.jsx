import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Toggle } from './Toggle.jsx'

describe('Toggle', () => {
  it('reports the chosen option and marks the current one pressed', async () => {
    const onChange = vi.fn()
    render(
      <Toggle
        label="View"
        value="a"
        onChange={onChange}
        options={[
          { value: 'a', label: 'Children' },
          { value: 'b', label: 'Parents' },
        ]}
      />,
    )
    expect(screen.getByRole('radio', { name: 'Children' })).toHaveAttribute('aria-checked', 'true')
    await userEvent.click(screen.getByRole('radio', { name: 'Parents' }))
    expect(onChange).toHaveBeenCalledWith('b')
  })
})
