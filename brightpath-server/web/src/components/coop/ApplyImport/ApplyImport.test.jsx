import { describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ApplyImport } from './ApplyImport.jsx'
import { ImportReportSchema } from '../../../api/schemas.js'
import { importReport } from '../../../test/fixtures.js'

describe('ApplyImport', () => {
  it('states the counts before applying', async () => {
    const onApply = vi.fn()
    render(
      <ApplyImport
        report={ImportReportSchema.parse(importReport())}
        fileName="r.zip"
        coopName="Big Co-op"
        onApply={onApply}
      />,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Apply…' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Apply r.zip to Big Co-op?' })
    const counts = within(dialog)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(counts).toContain('Users: 120 created, 3 updated, 2 removed')
    expect(counts).toContain('Children: 5 created, 1 updated, 1 removed')
    expect(counts.join()).not.toContain('Enrollments')
    expect(dialog).toHaveTextContent('Removed records leave the roster')
    expect(onApply).not.toHaveBeenCalled()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Apply changes' }))
    expect(onApply).toHaveBeenCalledTimes(1)
  })
})
