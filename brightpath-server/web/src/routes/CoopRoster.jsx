import PropTypes from 'prop-types'
import { Link } from 'react-router'
import { useCoopClasses, useRosterFamilies } from '../api/coop.js'
import { describe } from '../lib/errors.js'
import { Banner } from '../components/common/Banner/index.js'
import { ClassList, FamilyList, count } from '../components/coop/RosterLists/index.js'
import { CoopPage } from '../components/coop/CoopPage/index.js'
import styles from './CoopRoster.module.css'

/** One list's section: loading, its error (detail and hint), or the list. */
function Section({ id, title, query, children }) {
  return (
    <section aria-labelledby={id} className="stack">
      <h2 id={id}>{title}</h2>
      {query.isPending && <p>Loading…</p>}
      {query.isError && (
        <Banner tone="error" title={`The ${title.toLowerCase()} could not be read`}>
          {describe(query.error)}
        </Banner>
      )}
      {query.isSuccess && children}
    </section>
  )
}

Section.propTypes = {
  id: PropTypes.string.isRequired,
  title: PropTypes.string.isRequired,
  query: PropTypes.object.isRequired,
  children: PropTypes.node,
}

function Roster({ coop }) {
  const classes = useCoopClasses(coop.id)
  const families = useRosterFamilies(coop.id)
  const importLink = `/coops/${coop.id}/import`
  if (classes.isSuccess && families.isSuccess) {
    if (classes.data.length === 0 && families.data.length === 0) {
      return (
        <p className={styles.lead}>
          No roster yet: <Link to={importLink}>import one</Link>.
        </p>
      )
    }
  }
  return (
    <>
      {classes.isSuccess && families.isSuccess && (
        <p className={styles.lead}>
          <strong>
            {count(classes.data.length, 'class', 'classes')},{' '}
            {count(families.data.length, 'family', 'families').replace(/^No/, 'no')}
          </strong>{' '}
          <span className="muted">
            from the imported roster (<Link to={importLink}>import a new one</Link>)
          </span>
        </p>
      )}
      <Section id="roster-classes" title="Classes" query={classes}>
        <ClassList classes={classes.data ?? []} />
      </Section>
      <Section id="roster-families" title="Families" query={families}>
        <FamilyList families={families.data ?? []} />
      </Section>
    </>
  )
}

Roster.propTypes = {
  coop: PropTypes.shape({ id: PropTypes.string.isRequired, name: PropTypes.string.isRequired })
    .isRequired,
}

/**
 * A co-op admin's view of the imported roster: the classes (course,
 * meetings, teachers, children and their family) and the families
 * (guardians, children). Names only: never a family's plans.
 */
export default function CoopRoster() {
  return (
    <CoopPage
      title={(coop) => (coop ? `${coop.name}: roster and classes` : 'Roster and classes')}
      pathOf={(id) => `/coops/${id}`}
    >
      {(coop) => <Roster key={coop.id} coop={coop} />}
    </CoopPage>
  )
}
