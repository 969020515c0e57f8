import PropTypes from 'prop-types'
import { Link, useNavigate, useParams } from 'react-router'
import { useCoops } from '../../../api/coop.js'
import { describe } from '../../../lib/errors.js'
import { Field } from '../../common/Field/index.js'
import styles from './CoopPage.module.css'

/**
 * A co-op admin's page for the co-op in the URL: loading and errors, a
 * co-op the admin does not administer (with links to those they do), and a
 * switch between co-ops when there are several. `title(coop)` gives the
 * heading (`coop` is null when the admin does not administer it),
 * `pathOf(id)` the same page for another co-op, and `children(coop)` the
 * page itself.
 */
export function CoopPage({ title, pathOf, children }) {
  const { coopId } = useParams()
  const navigate = useNavigate()
  const coops = useCoops()
  if (coops.isPending) return <p>Loading…</p>
  if (coops.isError) return <p role="alert">{describe(coops.error)}</p>
  const coop = coops.data.find((c) => c.id === coopId)
  if (!coop) {
    return (
      <>
        <h1>{title(null)}</h1>
        <p>You do not administer this co-op.</p>
        {coops.data.length > 0 && (
          <ul>
            {coops.data.map((c) => (
              <li key={c.id}>
                <Link to={pathOf(c.id)}>{c.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </>
    )
  }
  return (
    <div className={styles.page}>
      <h1>{title(coop)}</h1>
      {coops.data.length > 1 && (
        <Field
          label="Co-op"
          as="select"
          value={coop.id}
          onChange={(e) => navigate(pathOf(e.target.value))}
          options={coops.data.map((c) => ({ value: c.id, label: c.name }))}
        />
      )}
      {children(coop)}
    </div>
  )
}

CoopPage.propTypes = {
  title: PropTypes.func.isRequired,
  pathOf: PropTypes.func.isRequired,
  children: PropTypes.func.isRequired,
}
