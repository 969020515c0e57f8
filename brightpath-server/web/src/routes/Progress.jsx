import { useCurrentFamily } from '../lib/family.jsx'
import { useInsights, useProgress } from '../api/week.js'
import { describe } from '../lib/errors.js'
import { PacingChart } from '../components/schedule/PacingChart/index.js'
import { Insights } from '../components/feedback/Insights/index.js'
import styles from './Progress.module.css'

/** Pacing per child and course: done against expected, and where it ends. */
export default function Progress() {
  const family = useCurrentFamily()
  const progress = useProgress(family?.id)
  const insights = useInsights(family?.id)
  if (!family) return <p>No family yet.</p>
  if (progress.isPending) return <p>Loading progress…</p>
  if (progress.isError) return <p role="alert">{describe(progress.error)}</p>
  const byChild = Map.groupBy
    ? Map.groupBy(progress.data, (r) => r.student)
    : progress.data.reduce((m, r) => m.set(r.student, [...(m.get(r.student) ?? []), r]), new Map())
  return (
    <>
      <h1>Progress</h1>
      {progress.data.length === 0 && <p>No courses yet.</p>}
      {[...byChild.entries()].map(([child, rows]) => (
        <section key={child} aria-labelledby={`p-${child}`} className={styles.child}>
          <h2 id={`p-${child}`}>{child}</h2>
          <ul className={styles.courses}>
            {rows.map((r) => (
              <li key={r.course} className={styles.course}>
                <h3>
                  {r.course}{' '}
                  <span className={r.on_track ? styles.ok : styles.behind}>
                    {r.behind > 0
                      ? `${r.behind} behind`
                      : r.behind < 0
                        ? `${-r.behind} ahead`
                        : 'on pace'}
                  </span>
                </h3>
                <PacingChart row={r} />
                {r.suggestion && <p>Suggestion: {r.suggestion}</p>}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {insights.data && <Insights insights={insights.data} />}
    </>
  )
}
