import PropTypes from 'prop-types'
import styles from './Insights.module.css'

/**
 * What the feedback taught: suggestions first, then each child's learned
 * lesson lengths against the planned ones (`GET …/insights`).
 */
export function Insights({ insights }) {
  const lengths = insights.course_lengths
  return (
    <section aria-labelledby="insights-title" className="stack">
      <h2 id="insights-title">What the feedback taught</h2>
      <p className="muted">{insights.lengths.reason}</p>
      {insights.suggestions.length > 0 ? (
        <ul aria-label="Suggestions">
          {insights.suggestions.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      ) : (
        <p>No suggestions yet: record actual minutes after lessons to get some.</p>
      )}
      {lengths.length > 0 && (
        <div className={styles.scroll} tabIndex={0} role="region" aria-label="Learned lengths">
          <table className={styles.table}>
            <caption>Lesson lengths in minutes</caption>
            <thead>
              <tr>
                <th scope="col">Child</th>
                <th scope="col">Course</th>
                <th scope="col">Lessons</th>
                <th scope="col">Planned</th>
                <th scope="col">Learned</th>
              </tr>
            </thead>
            <tbody>
              {lengths.map((c) => (
                <tr key={`${c.child}/${c.course}`}>
                  <td>{c.child}</td>
                  <td>{c.course}</td>
                  <td>{c.n}</td>
                  <td>{Math.round(c.planned)}</td>
                  <td>{c.learned_minutes.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

Insights.propTypes = {
  insights: PropTypes.shape({
    lengths: PropTypes.shape({ reason: PropTypes.string.isRequired }).isRequired,
    suggestions: PropTypes.arrayOf(PropTypes.string).isRequired,
    course_lengths: PropTypes.arrayOf(
      PropTypes.shape({
        child: PropTypes.string.isRequired,
        course: PropTypes.string.isRequired,
        n: PropTypes.number.isRequired,
        planned: PropTypes.number.isRequired,
        learned_minutes: PropTypes.number.isRequired,
      }),
    ).isRequired,
  }).isRequired,
}
