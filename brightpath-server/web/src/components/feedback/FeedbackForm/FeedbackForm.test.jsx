import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { FeedbackForm } from './FeedbackForm.jsx'

describe('FeedbackForm', () => {
  it('sends minutes, engagement, difficulty and note', async () => {
    const onSubmit = vi.fn()
    render(<FeedbackForm course="Math 5" plannedMinutes={45} onSubmit={onSubmit} />)
    const minutes = screen.getByLabelText('Actual minutes')
    expect(minutes).toHaveValue(45)
    await userEvent.clear(minutes)
    await userEvent.type(minutes, '50')
    await userEvent.selectOptions(screen.getByLabelText('Engagement (1-5)'), '4')
    await userEvent.selectOptions(screen.getByLabelText('Difficulty (1-5)'), '2')
    await userEvent.type(screen.getByLabelText('Note'), ' liked it ')
    await userEvent.click(screen.getByRole('button', { name: 'Save as done' }))
    expect(onSubmit).toHaveBeenCalledWith({
      minutes: 50,
      engagement: 4,
      difficulty: 2,
      note: 'liked it',
      partial: false,
    })
  })

  it('marks partly done and leaves out what was not given', async () => {
    const onSubmit = vi.fn()
    render(<FeedbackForm course="Math 5" partial onSubmit={onSubmit} />)
    await userEvent.click(screen.getByRole('button', { name: 'Save as partly done' }))
    expect(onSubmit).toHaveBeenCalledWith({ partial: true })
  })

  it('asks each child of a group lesson and sends their ratings', async () => {
    const onSubmit = vi.fn()
    render(
      <FeedbackForm
        course="Nature Science"
        plannedMinutes={40}
        students={['Ada', 'Ben']}
        onSubmit={onSubmit}
      />,
    )
    expect(screen.queryByLabelText('Engagement (1-5)')).toBeNull()
    await userEvent.selectOptions(screen.getByLabelText('Ada: engagement (1-5)'), '5')
    await userEvent.selectOptions(screen.getByLabelText('Ada: difficulty (1-5)'), '2')
    await userEvent.selectOptions(screen.getByLabelText('Ben: engagement (1-5)'), '2')
    await userEvent.click(screen.getByRole('button', { name: 'Save as done' }))
    expect(onSubmit).toHaveBeenCalledWith({
      minutes: 40,
      partial: false,
      ratings: [
        { student: 'Ada', engagement: 5, difficulty: 2 },
        { student: 'Ben', engagement: 2 },
      ],
    })
  })

  it('shows a child’s error next to that child’s field', () => {
    render(
      <FeedbackForm
        course="Nature Science"
        students={['Ada', 'Ben']}
        onSubmit={vi.fn()}
        errors={{ 'ratings[0].engagement': 'must be between 1 and 5' }}
      />,
    )
    expect(screen.getByLabelText('Ada: engagement (1-5)')).toHaveAccessibleDescription(
      'must be between 1 and 5',
    )
  })

  it('shows the server’s error next to its field', () => {
    render(
      <FeedbackForm course="Math 5" onSubmit={vi.fn()} errors={{ engagement: 'must be 1 to 5' }} />,
    )
    expect(screen.getByLabelText('Engagement (1-5)')).toHaveAccessibleDescription('must be 1 to 5')
  })
})
