import { describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import { Route, Routes } from 'react-router'
import { Shell } from './Shell.jsx'
import { renderWith } from '../test/render.jsx'
import { server, http, HttpResponse, api } from '../test/server.js'
import { CID, coop, me } from '../test/fixtures.js'

const app = (
  <Routes>
    <Route element={<Shell />}>
      <Route path="/week" element={<h1>the week</h1>} />
      <Route path="/onboarding" element={<h1>onboarding</h1>} />
      <Route path="/coops/:coopId" element={<h1>roster and classes</h1>} />
      <Route path="/coops/:coopId/import" element={<h1>roster import</h1>} />
    </Route>
  </Routes>
)

const nav = async () => within(await screen.findByRole('navigation', { name: 'Main' }))
const coops = (list) => http.get(api('/coops'), () => HttpResponse.json(list))
const noFamily = [
  http.get(api('/me'), () => HttpResponse.json({ ...me, families: [] })),
  http.get(api('/families'), () => HttpResponse.json({ items: [], next_cursor: null })),
]

describe('the shell', () => {
  it('shows no roster import to a guardian who administers no co-op', async () => {
    let asked = false
    server.use(
      http.get(api('/coops'), () => {
        asked = true
        return HttpResponse.json([])
      }),
    )
    renderWith(app, { route: '/week' })
    expect(await screen.findByRole('heading', { name: 'the week' })).toBeInTheDocument()
    const links = await nav()
    expect(links.getByRole('link', { name: 'Week' })).toBeInTheDocument()
    expect(asked).toBe(true)
    expect(links.queryByRole('link', { name: 'Roster import' })).toBeNull()
    expect(links.queryByRole('link', { name: 'Roster and classes' })).toBeNull()
  })

  it('adds the roster import for a guardian who is also a co-op admin', async () => {
    server.use(coops([coop]))
    renderWith(app, { route: '/week' })
    const links = await nav()
    expect(await links.findByRole('link', { name: 'Roster import' })).toHaveAttribute(
      'href',
      `/coops/${CID}/import`,
    )
    expect(links.getByRole('link', { name: 'Roster and classes' })).toHaveAttribute(
      'href',
      `/coops/${CID}`,
    )
    expect(links.getByRole('link', { name: 'Week' })).toBeInTheDocument()
  })

  it('marks the roster and classes as the current page, and keeps the co-op on screen', async () => {
    const other = { id: 'coop2', name: 'Small Co-op', time_zone: null }
    server.use(coops([coop, other]))
    renderWith(app, { route: '/coops/coop2' })
    expect(await screen.findByRole('heading', { name: 'roster and classes' })).toBeInTheDocument()
    const links = await nav()
    const roster = await links.findByRole('link', { name: 'Roster and classes' })
    expect(roster).toHaveAttribute('aria-current', 'page')
    expect(roster).toHaveAttribute('href', '/coops/coop2')
    const importLink = links.getByRole('link', { name: 'Roster import' })
    expect(importLink).toHaveAttribute('href', '/coops/coop2/import')
    expect(importLink).not.toHaveAttribute('aria-current')
    expect(links.getByRole('link', { name: 'Week' })).not.toHaveAttribute('aria-current')
  })

  it('takes a co-op admin with no family to the import, not to onboarding', async () => {
    server.use(...noFamily, coops([coop]))
    renderWith(app, { route: '/week' })
    expect(await screen.findByRole('heading', { name: 'roster import' })).toBeInTheDocument()
    const links = await nav()
    expect(links.getByRole('link', { name: 'Roster import' })).toHaveAttribute(
      'aria-current',
      'page',
    )
    expect(links.getByRole('link', { name: 'Roster and classes' })).not.toHaveAttribute(
      'aria-current',
    )
    expect(links.queryByRole('link', { name: 'Week' })).toBeNull()
  })

  it('still sends someone with neither a family nor a co-op to onboarding', async () => {
    server.use(...noFamily)
    renderWith(app, { route: '/week' })
    expect(await screen.findByRole('heading', { name: 'onboarding' })).toBeInTheDocument()
  })
})
