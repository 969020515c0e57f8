import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ClassList } from './ClassList.jsx'
import { FamilyList } from './FamilyList.jsx'
import { count, meetingText } from './format.js'
import { coopClasses, manyClasses, rosterFamilies } from '../../../test/fixtures.js'

describe('the roster lists', () => {
  it('writes meetings and counts as people read them', () => {
    expect(
      meetingText({ day: 'wed', start: '09:00', end: '10:30', place: 'Fellowship Hall' }),
    ).toBe('Wed 09:00–10:30, Fellowship Hall')
    expect(meetingText({ day: 'sun', start: '13:00:00', end: '14:00:00', place: null })).toBe(
      'Sun 13:00–14:00',
    )
    expect(count(2000, 'class', 'classes')).toBe('2,000 classes')
    expect(count(1, 'child', 'children')).toBe('1 child')
    expect(count(0, 'family', 'families')).toBe('No families')
  })

  it('draws each class as a card with its children and their family', () => {
    render(<ClassList classes={coopClasses} />)
    const art = screen.getByRole('article', { name: 'Art Studio' })
    expect(art).toHaveTextContent('Fri 13:00–14:00, Room 4')
    expect(art).toHaveTextContent('Teacher' + 'Ngozi Okafor')
    expect(within(art).getByText('2 children')).toBeInTheDocument()
    expect(art).toHaveTextContent('Ben Rivera (Rivera)')
    expect(screen.getByRole('status')).toHaveTextContent('2 classes')
  })

  it('filters by class title, ignoring case, and starts "show more" again', async () => {
    render(<ClassList classes={manyClasses(250)} />)
    expect(screen.getAllByRole('article')).toHaveLength(200)
    await userEvent.click(screen.getByRole('button', { name: 'Show 50 more' }))
    expect(screen.getAllByRole('article')).toHaveLength(250)
    await userEvent.click(screen.getByLabelText('Filter classes'))
    await userEvent.paste('CLASS 00')
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(200))
    expect(screen.getByRole('status')).toHaveTextContent(
      '250 classes match “CLASS 00” (showing the first 200)',
    )
    await userEvent.paste('1')
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(100))
    expect(screen.getByRole('status')).toHaveTextContent('100 classes match “CLASS 001”')
    expect(screen.queryByRole('button', { name: /more/ })).toBeNull()
  }, 15_000)

  it('draws each family with its guardians and children, and filters them by a child', async () => {
    render(<FamilyList families={rosterFamilies} />)
    expect(screen.getByRole('article', { name: 'Okafor' })).toHaveTextContent(
      'GuardianNgozi OkaforChildrenChidi Okafor, Ada Okafor',
    )
    await userEvent.type(screen.getByLabelText('Filter families'), 'chidi')
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1))
    expect(screen.getByRole('article', { name: 'Okafor' })).toBeInTheDocument()
  })
})
