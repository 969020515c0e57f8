import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { CurriculumStep } from './CurriculumStep.jsx'
import { renderWith } from '../../../test/render.jsx'
import { server, http, HttpResponse, api } from '../../../test/server.js'
import { FID } from '../../../test/fixtures.js'

const courses = http.get(api(`/families/${FID}/courses`), () =>
  HttpResponse.json({ items: [{ id: 'c1', name: 'Math 5' }], next_cursor: null }),
)

describe('CurriculumStep', () => {
  it('checks a CSV without writing and shows the report', async () => {
    let url
    server.use(
      courses,
      http.post(api(`/families/${FID}/courses/c1/curriculum`), ({ request }) => {
        url = new URL(request.url)
        return HttpResponse.json({ rows: 2, added: 0 })
      }),
    )
    renderWith(<CurriculumStep familyId={FID} />)
    await screen.findByRole('option', { name: 'Math 5' })
    await userEvent.type(screen.getByLabelText('Lessons'), 'title,minutes{enter}Fractions,45')
    await userEvent.click(screen.getByRole('button', { name: 'Check' }))
    expect(await screen.findByRole('status')).toHaveTextContent('Every row is right')
    expect(url.searchParams.get('dry_run')).toBe('true')
    expect(url.searchParams.get('format')).toBe('csv')
  })

  it('lists every bad row and says nothing was imported', async () => {
    server.use(
      courses,
      http.post(api(`/families/${FID}/courses/c1/curriculum`), () =>
        HttpResponse.json(
          {
            status: 422,
            kind: 'invalid',
            detail: '2 rows are wrong',
            errors: [
              { line: 3, field: 'minutes', message: 'minutes must be a number' },
              { line: 5, message: 'title is empty' },
            ],
          },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    renderWith(<CurriculumStep familyId={FID} />)
    await screen.findByRole('option', { name: 'Math 5' })
    await userEvent.type(screen.getByLabelText('Lessons'), 'x')
    await userEvent.click(screen.getByRole('button', { name: 'Import' }))
    const table = await screen.findByRole('table', { name: 'Rows with problems' })
    const rows = within(table).getAllByRole('row')
    expect(rows).toHaveLength(3)
    expect(rows[1]).toHaveTextContent('3minutesminutes must be a number')
    expect(screen.getByRole('alert')).toHaveTextContent('Nothing was imported')
  })
})
