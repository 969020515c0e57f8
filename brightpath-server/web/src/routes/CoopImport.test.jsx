import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import CoopImport from './CoopImport.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse, api, coopHandlers } from '../test/server.js'
import { CID, appliedReport, importReport, imports, job, refusedReport } from '../test/fixtures.js'

const page = (
  <Routes>
    <Route path="/coops/:coopId/import" element={<CoopImport />} />
  </Routes>
)

const zip = () => new File(['PK\x03\x04roster'], 'roster.zip', { type: 'application/zip' })

/** Renders the page for CID, chooses a zip and starts the dry run. */
async function checkAFile() {
  renderWith(page, { route: `/coops/${CID}/import` })
  await userEvent.upload(await screen.findByLabelText('Roster file (.zip)'), zip())
  await userEvent.click(screen.getByRole('button', { name: 'Upload and check' }))
}

const status = () => screen.getByRole('status')

describe('the roster import page', () => {
  it('uploads the zip as a dry run and shows what would change', async () => {
    const seen = []
    server.use(...coopHandlers())
    server.use(
      http.post(api(`/coops/${CID}/imports`), async ({ request }) => {
        seen.push({
          url: new URL(request.url),
          type: request.headers.get('content-type'),
          csrf: request.headers.get('x-brightpath-csrf'),
          disposition: request.headers.get('content-disposition'),
          body: new Uint8Array(await request.arrayBuffer()),
        })
        return HttpResponse.json(
          { import: 'imp3', job: 'job1', url: '/api/v1/jobs/job1', dry_run: true },
          { status: 202 },
        )
      }),
    )
    await checkAFile()
    expect(
      await screen.findByRole('table', { name: 'What would change, per kind' }),
    ).toBeInTheDocument()
    expect(seen).toHaveLength(1)
    expect(seen[0].url.searchParams.get('dry_run')).toBe('true')
    expect(seen[0].type).toBe('application/zip')
    expect(seen[0].csrf).toBe('1')
    expect(seen[0].disposition).toBe(
      `attachment; filename="roster.zip"; filename*=UTF-8''roster.zip`,
    )
    expect(new TextDecoder().decode(seen[0].body)).toBe('PK\x03\x04roster')
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'Dry run: roster.zip' })).toHaveFocus(),
    )
    expect(status()).toHaveTextContent('Checked: ready to apply.')
    expect(screen.getByRole('button', { name: 'Apply…' })).toBeInTheDocument()
    const history = screen.getByRole('heading', { name: 'Recent imports' }).parentElement
    expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent('roster-december.zip')
  })

  it('lists every problem of a refused file and offers no Apply', async () => {
    server.use(...coopHandlers({ job: job({ result: refusedReport() }) }))
    await checkAFile()
    const table = await screen.findByRole('table', { name: /Rows to fix/ })
    expect(within(table).getAllByRole('row')).toHaveLength(4)
    expect(table).toHaveTextContent('class "math-9" is not in classes.csv')
    expect(status()).toHaveTextContent('Checked: refused, 3 problems to fix.')
    expect(screen.queryByRole('button', { name: /Apply/ })).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Choose another file' }))
    expect(screen.getByLabelText('Roster file (.zip)')).toHaveValue('')
    expect(screen.getByRole('heading', { name: 'Check a roster file' })).toHaveFocus()
    expect(screen.queryByRole('table', { name: /Rows to fix/ })).toBeNull()
  })

  it('says there is nothing to change, with no Apply', async () => {
    const same = importReport({
      changed: false,
      changes: { users: { created: 0, updated: 0, unchanged: 9, removed: 0, examples: {} } },
    })
    server.use(...coopHandlers({ job: job({ result: same }) }))
    await checkAFile()
    expect(await screen.findByText('Nothing to change')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Apply/ })).toBeNull()
  })

  it('applies after a confirmation stating the counts, then shows the re-planned weeks', async () => {
    let applied = 0
    let polls = 0
    server.use(...coopHandlers())
    server.use(
      http.post(api(`/coops/${CID}/imports/imp3/apply`), async ({ request }) => {
        applied += 1
        expect(request.headers.get('x-brightpath-csrf')).toBe('1')
        expect(await request.text()).toBe('')
        return HttpResponse.json(
          { import: 'imp3', job: 'job2', url: '/api/v1/jobs/job2', dry_run: false },
          { status: 202 },
        )
      }),
      http.get(api('/jobs/job2'), () => {
        polls += 1
        return HttpResponse.json(
          polls === 1
            ? job({ id: 'job2', status: 'running', finished_at: null, result: null })
            : job({ id: 'job2', result: appliedReport() }),
        )
      }),
    )
    await checkAFile()
    await userEvent.click(await screen.findByRole('button', { name: 'Apply…' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Apply roster.zip to Big Co-op?' })
    expect(dialog).toHaveTextContent('Users: 120 created, 3 updated, 2 removed')
    expect(applied).toBe(0)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Apply changes' }))
    await waitFor(() => expect(status()).toHaveTextContent('Applying the changes…'))
    expect(applied).toBe(1)
    expect(
      await screen.findByRole('heading', { name: 'Applied: roster.zip' }, { timeout: 3000 }),
    ).toBeInTheDocument()
    expect(status()).toHaveTextContent('Applied.')
    expect(screen.getByText(/Rivera, week of 2026-12-07/)).toHaveTextContent('re-planned')
    expect(screen.queryByRole('heading', { name: /Dry run/ })).toBeNull()
  })

  it('shows a refusal of the upload with its detail and hint', async () => {
    let polled = false
    server.use(...coopHandlers())
    server.use(
      http.post(api(`/coops/${CID}/imports`), () =>
        HttpResponse.json(
          {
            type: '/problems/too_large',
            title: 'Payload Too Large',
            status: 413,
            detail: 'the file is 30 MB; at most 20 MB',
            hint: 'zip only the OneRoster CSV files',
          },
          { status: 413, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
      http.get(api('/jobs/:id'), () => {
        polled = true
        return HttpResponse.json(job())
      }),
    )
    await checkAFile()
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('The server refused')
    expect(alert).toHaveTextContent(
      'the file is 30 MB; at most 20 MB (zip only the OneRoster CSV files)',
    )
    expect(polled).toBe(false)
    // The file is still chosen: check it again, or choose another.
    expect(screen.getByRole('button', { name: 'Upload and check' })).toBeEnabled()
  })

  it('says while the job waits, then shows its report', async () => {
    let polls = 0
    server.use(...coopHandlers())
    server.use(
      http.get(api('/jobs/job1'), () => {
        polls += 1
        return HttpResponse.json(
          polls === 1 ? job({ status: 'queued', finished_at: null, result: null }) : job(),
        )
      }),
    )
    await checkAFile()
    await waitFor(() =>
      expect(status()).toHaveTextContent('Checking the file: waiting for its turn…'),
    )
    expect(screen.getByRole('progressbar', { name: 'Checking the file' })).toBeInTheDocument()
    expect(
      await screen.findByText('This file would change the roster', {}, { timeout: 3000 }),
    ).toBeInTheDocument()
  })

  it('says why a failed job did not finish', async () => {
    server.use(
      ...coopHandlers({ job: job({ status: 'dead', result: null, error: 'the zip is corrupt' }) }),
    )
    await checkAFile()
    expect(await screen.findByRole('alert')).toHaveTextContent('the zip is corrupt')
    expect(screen.getByRole('button', { name: 'Choose another file' })).toBeInTheDocument()
  })

  it('refuses a co-op the caller does not administer', async () => {
    renderWith(page, { route: '/coops/other/import' })
    expect(await screen.findByText('You do not administer this co-op.')).toBeInTheDocument()
  })

  it('comes back to the same report after a reload (the upload and job are in the address)', async () => {
    server.use(...coopHandlers())
    server.use(
      http.get(api(`/coops/${CID}/imports`), () =>
        HttpResponse.json({
          items: [{ ...imports[0], id: 'imp3', file_name: 'roster-march.zip' }],
          next_cursor: null,
        }),
      ),
    )
    renderWith(page, { route: `/coops/${CID}/import?import=imp3&job=job1` })
    expect(
      await screen.findByRole('heading', { name: 'Dry run: roster-march.zip' }),
    ).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Apply…' })).toBeInTheDocument()
  })
})
