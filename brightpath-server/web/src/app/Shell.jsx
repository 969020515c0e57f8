import { Suspense, useState } from 'react'
import PropTypes from 'prop-types'
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router'
import { useFamilies, useLogout, useMe } from '../api/me.js'
import { useCoops } from '../api/coop.js'
import { FamilyContext } from '../lib/family.jsx'
import { describe } from '../lib/errors.js'
import { Button } from '../components/common/Button/index.js'
import { ServerDownBanner } from './ServerDownBanner.jsx'
import styles from './Shell.module.css'

const LINKS = [
  ['/week', 'Week'],
  ['/today', 'Today'],
  ['/progress', 'Progress'],
  ['/records', 'Records'],
  ['/settings', 'Settings'],
]

const STORED = 'brightpath.family'

/** Pages that need no family of one's own. */
const FAMILYLESS = ['/onboarding', '/invitations', '/coops/']

/**
 * Signed-in pages: the header with navigation, family choice and sign-out,
 * the server-down banner, and the current family for the pages below.
 * A co-op admin also sees the co-op's roster and classes and its roster
 * import; one who is no family's guardian sees only those, and lands on the
 * import instead of onboarding.
 */
export function Shell() {
  const me = useMe()
  const families = useFamilies(Boolean(me.data))
  const coops = useCoops(Boolean(me.data))
  const logout = useLogout()
  const location = useLocation()
  const navigate = useNavigate()
  const [chosen, setChosen] = useState(() => localStorage.getItem(STORED) ?? '')

  if (me.isPending) return <Frame>Loading…</Frame>
  if (me.isError) return <Frame>{describe(me.error)}</Frame>
  if (me.data === null) {
    const next = encodeURIComponent(location.pathname + location.search)
    return <Navigate to={`/sign-in?next=${next}`} replace />
  }
  // Back from the provider: go where the browser was going (an invitation).
  const next = sessionStorage.getItem('brightpath.next')
  if (next && next.startsWith('/') && !next.startsWith('//')) {
    sessionStorage.removeItem('brightpath.next')
    return <Navigate to={next} replace />
  }
  const list = families.data ?? []
  const family = list.find((f) => f.id === chosen) ?? list[0] ?? null
  const admin = coops.data ?? []
  const familyless = FAMILYLESS.some((p) => location.pathname.startsWith(p))
  if (families.isSuccess && coops.isSuccess && !family && !familyless) {
    const home = admin.length > 0 ? `/coops/${admin[0].id}/import` : '/onboarding'
    return <Navigate to={home} replace />
  }
  const links = family || admin.length === 0 ? LINKS : []
  // The co-op links follow the co-op on screen, else the first administered.
  const [, shownCoop, coopPage] = location.pathname.match(/^\/coops\/([^/]+)\/?(.*)$/) ?? []
  const coopId = admin.some((c) => c.id === shownCoop) ? shownCoop : admin[0]?.id
  const coopLinks = [
    [`/coops/${coopId}`, 'Roster and classes', shownCoop !== undefined && coopPage === ''],
    [`/coops/${coopId}/import`, 'Roster import', coopPage === 'import'],
  ]
  return (
    <FamilyContext.Provider value={family}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <span className={styles.brand}>BrightPath</span>
        <nav aria-label="Main" className={styles.nav}>
          {links.map(([to, label]) => (
            <NavLink
              key={to}
              to={to}
              className={({ isActive }) => (isActive ? styles.active : styles.link)}
            >
              {label}
            </NavLink>
          ))}
          {admin.length > 0 &&
            coopLinks.map(([to, label, current]) => (
              <Link
                key={label}
                to={to}
                className={current ? styles.active : styles.link}
                aria-current={current ? 'page' : undefined}
              >
                {label}
              </Link>
            ))}
        </nav>
        <div className={styles.account}>
          {list.length > 1 && (
            <label className={styles.family}>
              <span className="visually-hidden">Family</span>
              <select
                value={family?.id ?? ''}
                onChange={(e) => {
                  localStorage.setItem(STORED, e.target.value)
                  setChosen(e.target.value)
                }}
              >
                {list.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span className={styles.who}>{me.data.actor}</span>
          <Button
            size="sm"
            tone="secondary"
            busy={logout.isPending}
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/sign-in') })}
          >
            Sign out
          </Button>
        </div>
      </header>
      <div className={styles.banner}>
        <ServerDownBanner />
      </div>
      <main id="main" className="page">
        <Suspense fallback={<p>Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </FamilyContext.Provider>
  )
}

function Frame({ children }) {
  return (
    <>
      <div className={styles.banner}>
        <ServerDownBanner />
      </div>
      <main id="main" className="page">
        <h1>BrightPath</h1>
        <p>{children}</p>
      </main>
    </>
  )
}

Frame.propTypes = { children: PropTypes.node }
