import PropTypes from 'prop-types'
import { Link, useNavigate, useParams } from 'react-router'
import { useCoopClasses, useCoops, useRosterFamilies } from '../api/coop.js'
import { describe } from '../lib/errors.js'
import { Banner } from '../components/common/Banner/index.js'
import { Field } from '../components/common/Field/index.js'
import { ClassList, FamilyList, count } from '../components/coop/RosterLists/index.js'
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
  const { coopId } = useParams()
  const navigate = useNavigate()
  const coops = useCoops()
  if (coops.isPending) return <p>Loading…</p>
  if (coops.isError) return <p role="alert">{describe(coops.error)}</p>
  const coop = coops.data.find((c) => c.id === coopId)
  if (!coop) {
    return (
      <>
        <h1>Roster and classes</h1>
        <p>You do not administer this co-op.</p>
        {coops.data.length > 0 && (
          <ul>
            {coops.data.map((c) => (
              <li key={c.id}>
                <Link to={`/coops/${c.id}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </>
    )
  }
  return (
    <div className={styles.page}>
      <h1>{coop.name}: roster and classes</h1>
      {coops.data.length > 1 && (
        <Field
          label="Co-op"
          as="select"
          value={coop.id}
          onChange={(e) => navigate(`/coops/${e.target.value}`)}
          options={coops.data.map((c) => ({ value: c.id, label: c.name }))}
        />
      )}
      <Roster key={coop.id} coop={coop} />
    </div>
  )
}
