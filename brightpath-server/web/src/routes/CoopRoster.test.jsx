import { describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import CoopRoster from './CoopRoster.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse, api, coopHandlers } from '../test/server.js'
import { CID, manyClasses } from '../test/fixtures.js'

const page = (
  <Routes>
    <Route path="/coops/:coopId" element={<CoopRoster />} />
    <Route path="/coops/:coopId/import" element={<h1>roster import</h1>} />
  </Routes>
)

const open = (route = `/coops/${CID}`) => renderWith(page, { route })
const section = (name) => screen.getByRole('heading', { level: 2, name }).closest('section')
const card = (name) => screen.getByRole('article', { name })

describe('the roster and classes page', () => {
  it('shows each class with its course, meetings, teachers and children, and each family', async () => {
    server.use(...coopHandlers())
    open()
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Big Co-op: roster and classes' }),
    ).toBeInTheDocument()
    expect(await screen.findByText('2 classes, 2 families')).toBeInTheDocument()
    const science = card('Hands-on Science')
    expect(science).toHaveTextContent('Science')
    expect(within(science).getByText('Wed 09:00–10:30, Fellowship Hall')).toBeInTheDocument()
    expect(within(science).getByText('Fri 09:00–10:00')).toBeInTheDocument()
    expect(science).toHaveTextContent('Maria Rivera')
    expect(science).toHaveTextContent('2 children')
    const kids = within(science).getByRole('list', { name: 'Children in Hands-on Science' })
    expect(
      within(kids)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Ada Rivera (Rivera)', 'June Park'])
    const rivera = card('Rivera')
    expect(rivera).toHaveTextContent('Maria Rivera, Luis Rivera')
    expect(rivera).toHaveTextContent('Ada Rivera, Ben Rivera')
    expect(within(section('Families')).getAllByRole('article')).toHaveLength(2)
  })

  it('filters the classes by a child or family name, and the families by a guardian', async () => {
    server.use(...coopHandlers())
    open()
    const classes = within(await screen.findByRole('region', { name: 'Classes' }))
    await userEvent.type(await classes.findByLabelText('Filter classes'), 'okafor')
    await waitFor(() => expect(classes.getAllByRole('article')).toHaveLength(1))
    expect(classes.getByRole('article', { name: 'Art Studio' })).toBeInTheDocument()
    expect(classes.getByRole('status')).toHaveTextContent('1 class match “okafor”')
    await userEvent.clear(classes.getByLabelText('Filter classes'))
    await userEvent.type(classes.getByLabelText('Filter classes'), 'june park')
    await waitFor(() =>
      expect(classes.getByRole('article', { name: 'Hands-on Science' })).toBeInTheDocument(),
    )
    expect(classes.queryByRole('article', { name: 'Art Studio' })).toBeNull()

    const families = within(screen.getByRole('region', { name: 'Families' }))
    await userEvent.type(families.getByLabelText('Filter families'), 'LUIS')
    await waitFor(() => expect(families.getAllByRole('article')).toHaveLength(1))
    expect(families.getByRole('article', { name: 'Rivera' })).toBeInTheDocument()
    await userEvent.clear(families.getByLabelText('Filter families'))
    await userEvent.type(families.getByLabelText('Filter families'), 'nobody')
    await waitFor(() => expect(families.getByRole('status')).toHaveTextContent('No families'))
    expect(families.queryAllByRole('article')).toHaveLength(0)
  })

  it('follows next_cursor to the last page and draws 200 cards at a time', async () => {
    const asked = []
    server.use(...coopHandlers())
    server.use(
      http.get(api(`/coops/${CID}/classes`), ({ request }) => {
        const url = new URL(request.url)
        asked.push([url.searchParams.get('limit'), url.searchParams.get('cursor')])
        return url.searchParams.get('cursor') === 'p2'
          ? HttpResponse.json({ items: manyClasses(250, 500), next_cursor: null })
          : HttpResponse.json({ items: manyClasses(500), next_cursor: 'p2' })
      }),
    )
    open()
    expect(await screen.findByText('750 classes, 2 families')).toBeInTheDocument()
    expect(asked).toEqual([
      ['500', null],
      ['500', 'p2'],
    ])
    const classes = within(section('Classes'))
    expect(classes.getAllByRole('article')).toHaveLength(200)
    expect(classes.getByRole('status')).toHaveTextContent('750 classes (showing the first 200)')
    await userEvent.click(classes.getByRole('button', { name: 'Show 200 more' }))
    expect(classes.getAllByRole('article')).toHaveLength(400)
    await userEvent.click(classes.getByRole('button', { name: 'Show 200 more' }))
    await userEvent.click(classes.getByRole('button', { name: 'Show 150 more' }))
    expect(classes.getAllByRole('article')).toHaveLength(750)
    expect(classes.getByRole('article', { name: 'Class 00750' })).toBeInTheDocument()
    expect(classes.queryByRole('button', { name: /more/ })).toBeNull()
  }, 15_000)

  it('says there is no roster yet and links to the import', async () => {
    server.use(...coopHandlers({ classes: [], families: [] }))
    open()
    const link = await screen.findByRole('link', { name: 'import one' })
    expect(link).toHaveAttribute('href', `/coops/${CID}/import`)
    expect(link.closest('p')).toHaveTextContent('No roster yet: import one')
    expect(screen.queryByRole('heading', { name: 'Classes' })).toBeNull()
    await userEvent.click(link)
    expect(await screen.findByRole('heading', { name: 'roster import' })).toBeInTheDocument()
  })

  it('shows a refusal with its detail and hint', async () => {
    server.use(...coopHandlers())
    server.use(
      http.get(api(`/coops/${CID}/classes`), () =>
        HttpResponse.json(
          {
            status: 404,
            title: 'Not Found',
            detail: 'no co-op coop1 that you administer',
            hint: 'ask the co-op to make you its admin',
            kind: 'not_found',
          },
          { status: 404, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    )
    open()
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('The classes could not be read')
    expect(alert).toHaveTextContent(
      'no co-op coop1 that you administer (ask the co-op to make you its admin)',
    )
    // The families still show.
    expect(await screen.findByRole('article', { name: 'Okafor' })).toBeInTheDocument()
  })

  it('says so for a co-op the caller does not administer', async () => {
    server.use(...coopHandlers())
    open('/coops/other')
    expect(await screen.findByText('You do not administer this co-op.')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Big Co-op' })).toHaveAttribute('href', `/coops/${CID}`)
  })
})
