import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { Banner } from './Banner.jsx'

describe('Banner', () => {
  it('announces errors as alerts', () => {
    render(<Banner tone="error" title="Server down" />)
    expect(screen.getByRole('alert')).toHaveTextContent('Server down')
  })
  it('announces other messages politely', () => {
    render(<Banner title="Saved">all good</Banner>)
    expect(screen.getByRole('status')).toHaveTextContent('Savedall good')
  })
})
