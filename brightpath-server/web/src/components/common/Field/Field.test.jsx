import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { Field } from './Field.jsx'

describe('Field', () => {
  it('labels its input and ties the error to it', () => {
    render(<Field label="Time zone" name="tz" error="unknown time zone" />)
    const input = screen.getByLabelText('Time zone')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveAccessibleDescription('unknown time zone')
    expect(screen.getByRole('alert')).toHaveTextContent('unknown time zone')
  })

  it('renders a select with its options', () => {
    render(
      <Field
        label="Scope"
        as="select"
        options={[
          { value: 'read', label: 'Read' },
          { value: 'admin', label: 'Admin' },
        ]}
      />,
    )
    expect(screen.getByRole('combobox', { name: 'Scope' })).toHaveDisplayValue('Read')
    expect(screen.getAllByRole('option')).toHaveLength(2)
  })
})
