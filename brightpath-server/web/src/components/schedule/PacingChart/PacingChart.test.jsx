import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { PacingChart } from './PacingChart.jsx'
import { pacing } from '../../../test/fixtures.js'

describe('PacingChart', () => {
  it('draws done against expected, named for screen readers', () => {
    const { container } = render(<PacingChart row={pacing[0]} />)
    expect(screen.getByRole('img')).toHaveAccessibleName(
      'Math 5 for Ben: 60 of 180 lessons done, 80 expected by now; projected finish 2027-06-20, year ends 2027-05-28',
    )
    const [, done, expected] = container.querySelectorAll('rect')
    expect(Number(done.getAttribute('width'))).toBeCloseTo((60 / 180) * 320)
    expect(Number(expected.getAttribute('width'))).toBeCloseTo((80 / 180) * 320)
  })

  it('flags a finish after the year’s end', () => {
    render(<PacingChart row={pacing[0]} />)
    expect(screen.getByText(/finish 2027-06-20/).className).toMatch(/late/)
  })
})
