import PropTypes from 'prop-types'
import styles from './PlanSummary.module.css'

/** The plan's score and the lessons that did not fit, each with its reason. */
export function PlanSummary({ score, unscheduled }) {
  return (
    <section className={styles.summary} aria-labelledby="plan-summary">
      <h2 id="plan-summary">This week’s plan</h2>
      {score ? (
        <p>
          Score <strong>{score.total}</strong> (lower is better)
          {Object.entries(score)
            .filter(([k, v]) => k !== 'total' && v)
            .map(([k, v]) => ` · ${k} ${v}`)
            .join('')}
        </p>
      ) : (
        <p>Not planned yet.</p>
      )}
      {unscheduled.length > 0 ? (
        <>
          <h3>Did not fit</h3>
          <ul>
            {unscheduled.map((u) => (
              <li key={`${u.course}-${u.students.join()}`}>
                <strong>{u.course}</strong> ({u.students.join(', ')}): {u.missing} lesson
                {u.missing === 1 ? '' : 's'} — {u.reason}
              </li>
            ))}
          </ul>
        </>
      ) : (
        score && <p>Every lesson fits.</p>
      )}
    </section>
  )
}

PlanSummary.propTypes = {
  score: PropTypes.shape({ total: PropTypes.number.isRequired }),
  unscheduled: PropTypes.arrayOf(
    PropTypes.shape({
      course: PropTypes.string.isRequired,
      students: PropTypes.arrayOf(PropTypes.string).isRequired,
      missing: PropTypes.number.isRequired,
      reason: PropTypes.string.isRequired,
    }),
  ).isRequired,
}
