import { describe, expect, it } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ImportDiff } from './ImportDiff.jsx'
import { ImportReportSchema } from '../../../api/schemas.js'
import { appliedReport, importReport, refusedReport } from '../../../test/fixtures.js'

const read = (r) => ImportReportSchema.parse(r)

describe('ImportDiff', () => {
  it('shows a row of counts per kind, with examples on demand', async () => {
    render(<ImportDiff report={read(importReport())} />)
    expect(screen.getByText('This file would change the roster')).toBeInTheDocument()
    const table = screen.getByRole('table', { name: 'What would change, per kind' })
    const users = within(table).getByRole('row', { name: /^Users/ })
    expect(
      within(users)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['120', '3', '4,000', '2', 'Examples'])
    const show = within(users).getByRole('button', { name: 'Examples of users' })
    expect(show).toHaveAttribute('aria-expanded', 'false')
    await userEvent.click(show)
    expect(show).toHaveAttribute('aria-expanded', 'true')
    const box = document.getElementById(show.getAttribute('aria-controls'))
    expect(box).toHaveTextContent('u-new-1')
    expect(box).toHaveTextContent('Created (first 20 of 120)')
    expect(box).toHaveTextContent('u-old-2')
    // No examples, no button.
    const enrollments = within(table).getByRole('row', { name: /^Enrollments/ })
    expect(within(enrollments).queryByRole('button')).toBeNull()
    expect(screen.getByRole('table', { name: 'Warnings' })).toHaveTextContent('users.csv')
  })

  it('lists every problem of a refused file, and no changes', () => {
    render(<ImportDiff report={read(refusedReport())} />)
    expect(screen.getByText('Refused: nothing was written')).toBeInTheDocument()
    const table = screen.getByRole('table', { name: /Rows to fix/ })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(3)
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([
      'users.csv',
      '14',
      'email',
      'email "ana@" is not an e-mail address',
      'write a whole address, e.g. ana@example.org',
    ])
    expect(rows[2]).toHaveTextContent('whole file')
    expect(screen.queryByRole('table', { name: /What would change/ })).toBeNull()
  })

  it('says when the server sent only the first of many problems', () => {
    render(<ImportDiff report={read({ ...refusedReport(), problems_total: 1840 })} />)
    expect(screen.getByText(/Showing the first 3 of 1,840/)).toBeInTheDocument()
  })

  it('shows the weeks an applied import planned again', () => {
    render(<ImportDiff report={read(appliedReport())} />)
    expect(screen.getByText('Applied')).toBeInTheDocument()
    const list = screen.getByRole('heading', { name: 'Family weeks planned again' }).nextSibling
    expect(list).toHaveTextContent('Rivera, week of 2026-12-07: re-planned')
    expect(list).toHaveTextContent('Okafor, week of 2026-12-07: not re-planned (no school year')
  })
})
