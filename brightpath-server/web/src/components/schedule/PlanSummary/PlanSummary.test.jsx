import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { PlanSummary } from './PlanSummary.jsx'
import { week } from '../../../test/fixtures.js'

describe('PlanSummary', () => {
  it('shows the score and each unscheduled lesson with its reason', () => {
    render(<PlanSummary score={week().score} unscheduled={week().unscheduled} />)
    expect(screen.getByText('120')).toBeInTheDocument()
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'Piano practice (Ben): 1 lesson — only 4 allowed day(s)',
    )
  })
  it('says when everything fits', () => {
    render(<PlanSummary score={{ total: 0 }} unscheduled={[]} />)
    expect(screen.getByText('Every lesson fits.')).toBeInTheDocument()
  })
})
