import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { ImportHistory } from './ImportHistory.jsx'
import { imports } from '../../../test/fixtures.js'

describe('ImportHistory', () => {
  it('lists the uploads with whether each was applied', () => {
    render(<ImportHistory imports={imports} timeZone="America/Chicago" />)
    const items = screen.getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0]).toHaveTextContent('roster-december.zip')
    expect(items[0]).toHaveTextContent('482 KB')
    expect(items[0]).toHaveTextContent('by dana@example.org')
    expect(items[0]).toHaveTextContent('Checked, not applied')
    expect(items[1]).toHaveTextContent('Applied 2 Nov 2026, 09:03')
  })

  it('says when there is none', () => {
    render(<ImportHistory imports={[]} />)
    expect(screen.getByText('No roster file uploaded yet.')).toBeInTheDocument()
  })
})
