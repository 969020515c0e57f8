import { describe, expect, it } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import { Insights } from './Insights.jsx'

describe('Insights', () => {
  it('shows the suggestions and each learned length', () => {
    render(
      <Insights
        insights={{
          lengths: { reason: 'model beats the mean' },
          suggestions: ['Ben: Math 5 runs 52 min, planned 45: plan 50?'],
          course_lengths: [
            { child: 'Ben', course: 'Math 5', n: 68, planned: 45, learned_minutes: 51.84 },
          ],
        }}
      />,
    )
    expect(within(screen.getByRole('list', { name: 'Suggestions' })).getByText(/plan 50\?/))
    const row = screen.getByRole('row', { name: /Math 5/ })
    expect(within(row).getByText('51.8')).toBeInTheDocument()
    expect(within(row).getByText('45')).toBeInTheDocument()
  })

  it('says how to get suggestions when there are none', () => {
    render(
      <Insights
        insights={{
          lengths: { reason: 'too little feedback' },
          suggestions: [],
          course_lengths: [],
        }}
      />,
    )
    expect(screen.getByText(/record actual minutes/)).toBeInTheDocument()
    expect(screen.queryByRole('table')).toBeNull()
  })
})
