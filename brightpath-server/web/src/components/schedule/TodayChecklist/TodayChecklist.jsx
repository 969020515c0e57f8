import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import styles from './TodayChecklist.module.css'

const STATUS = { done: 'Done', partial: 'Partly done', skipped: 'Skipped' }

/**
 * Each child's day in order: lessons with Done / Partly done / Skip, and
 * fixed events. `onMark(session, 'done'|'feedback'|'partial'|'skip')`.
 */
export function TodayChecklist({ week, date, onMark }) {
  const day = week.days.find((d) => d.date === date)
  if (!day) return <p>{date} is not in this week.</p>
  return (
    <div className={styles.children}>
      {week.students.map((st) => {
        const items = [
          ...week.sessions
            .filter((s) => s.date === date && s.student_ids.includes(st.id))
            .map((s) => ({ start: s.start, s })),
          ...week.events
            .filter((e) => e.date === date && e.student_ids.includes(st.id))
            .map((e) => ({ start: e.start, e })),
        ].sort((a, b) => a.start.localeCompare(b.start))
        return (
          <section key={st.id} className={styles.child} aria-labelledby={`today-${st.id}`}>
            <h2 id={`today-${st.id}`}>{st.name}</h2>
            {items.length === 0 && <p className="muted">Nothing planned.</p>}
            <ol className={styles.list}>
              {items.map(({ s, e }) =>
                e ? (
                  <li key={`e-${e.name}-${e.start}`} className={styles.item}>
                    <span className={styles.time}>
                      {e.start}–{e.end}
                    </span>
                    <span>
                      {e.name}
                      {e.away ? ' (away)' : ''}
                    </span>
                  </li>
                ) : (
                  <li key={s.id} className={`${styles.item} ${styles[s.status] ?? ''}`}>
                    <span className={styles.time}>
                      {s.start}–{s.end}
                    </span>
                    <span className={styles.what}>
                      <strong>{s.course}</strong>
                      {s.lesson && <span className="muted"> {s.lesson}</span>}
                      {STATUS[s.status] && (
                        <span className={styles.status}> · {STATUS[s.status]}</span>
                      )}
                    </span>
                    {s.status === 'planned' && (
                      <span className={styles.actions} role="group" aria-label={`Mark ${s.course}`}>
                        <Button
                          size="sm"
                          onClick={() => onMark(s, 'done')}
                          aria-label={`Done: ${s.course} (${st.name})`}
                        >
                          Done
                        </Button>
                        <Button
                          size="sm"
                          tone="secondary"
                          onClick={() => onMark(s, 'feedback')}
                          aria-label={`Done with feedback: ${s.course} (${st.name})`}
                        >
                          Feedback…
                        </Button>
                        <Button
                          size="sm"
                          tone="secondary"
                          onClick={() => onMark(s, 'partial')}
                          aria-label={`Partly done: ${s.course} (${st.name})`}
                        >
                          Partly
                        </Button>
                        <Button
                          size="sm"
                          tone="ghost"
                          onClick={() => onMark(s, 'skip')}
                          aria-label={`Skip: ${s.course} (${st.name})`}
                        >
                          Skip…
                        </Button>
                      </span>
                    )}
                  </li>
                ),
              )}
            </ol>
          </section>
        )
      })}
    </div>
  )
}

TodayChecklist.propTypes = {
  week: PropTypes.shape({
    days: PropTypes.arrayOf(PropTypes.shape({ date: PropTypes.string.isRequired })).isRequired,
    students: PropTypes.arrayOf(
      PropTypes.shape({ id: PropTypes.string.isRequired, name: PropTypes.string.isRequired }),
    ).isRequired,
    sessions: PropTypes.array.isRequired,
    events: PropTypes.array.isRequired,
  }).isRequired,
  date: PropTypes.string.isRequired,
  onMark: PropTypes.func.isRequired,
}
