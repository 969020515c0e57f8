import { useId } from 'react'
import PropTypes from 'prop-types'
import { ChangesTable } from './ChangesTable.jsx'
import { ProblemTable } from './ProblemTable.jsx'
import { changeLines, count } from './summary.js'
import styles from './ImportDiff.module.css'

/** The one-line verdict at the top of a report. */
function Verdict({ report }) {
  const lines = changeLines(report.changes)
  let tone = 'info'
  let title
  let body = lines.map(([k, w]) => `${k}: ${w}`).join('; ')
  if (report.refused) {
    tone = 'error'
    title = 'Refused: nothing was written'
    body = `${count(report.problems_total)} ${report.problems_total === 1 ? 'problem' : 'problems'} in the file. Fix every row listed below, then check the file again.`
  } else if (!report.changed) {
    title = 'The roster already matches this file'
    body = ''
  } else if (report.dry_run) {
    title = 'This file would change the roster'
  } else {
    tone = 'success'
    title = 'Applied'
  }
  return (
    <div className={`${styles.verdict} ${styles[tone]}`}>
      <strong>{title}</strong>
      {body && <p>{body}</p>}
    </div>
  )
}

Verdict.propTypes = { report: PropTypes.object.isRequired }

/**
 * A roster import's report: what it would change (dry run) or changed, per
 * kind with examples; when refused, every problem with where and how to
 * fix it; warnings; and the family weeks an applied import re-planned.
 */
export function ImportDiff({ report }) {
  const id = useId()
  const label = report.dry_run ? 'What would change' : 'What changed'
  return (
    <div className={styles.report}>
      <Verdict report={report} />
      {report.refused && (
        <section aria-labelledby={`${id}-problems`}>
          <h3 id={`${id}-problems`}>Problems ({count(report.problems_total)})</h3>
          <ProblemTable
            caption="Rows to fix before this file can be imported"
            rows={report.problems}
            total={report.problems_total}
          />
        </section>
      )}
      {!report.refused && (
        <section aria-labelledby={`${id}-changes`}>
          <h3 id={`${id}-changes`}>{label}</h3>
          <ChangesTable changes={report.changes} caption={`${label}, per kind`} />
        </section>
      )}
      {report.warnings_total > 0 && (
        <section aria-labelledby={`${id}-warnings`}>
          <h3 id={`${id}-warnings`}>Warnings ({count(report.warnings_total)})</h3>
          <p className="muted">
            These did not stop the import; check that they are what you meant.
          </p>
          <ProblemTable caption="Warnings" rows={report.warnings} total={report.warnings_total} />
        </section>
      )}
      {report.replanned.length > 0 && (
        <section aria-labelledby={`${id}-replanned`}>
          <h3 id={`${id}-replanned`}>Family weeks planned again</h3>
          <ul className={styles.replanned}>
            {report.replanned.map((r) => (
              <li key={`${r.family}-${r.week}`}>
                {r.family}, week of {r.week}
                {r.error ? (
                  <span className={styles.failed}>: not re-planned ({r.error})</span>
                ) : (
                  <span className="muted">: re-planned</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.version && <p className="muted">OneRoster {report.version}</p>}
    </div>
  )
}

ImportDiff.propTypes = {
  report: PropTypes.shape({
    coop: PropTypes.string,
    dry_run: PropTypes.bool.isRequired,
    version: PropTypes.string,
    refused: PropTypes.bool.isRequired,
    changed: PropTypes.bool.isRequired,
    changes: PropTypes.object.isRequired,
    problems: PropTypes.array.isRequired,
    problems_total: PropTypes.number.isRequired,
    warnings: PropTypes.array.isRequired,
    warnings_total: PropTypes.number.isRequired,
    replanned: PropTypes.arrayOf(
      PropTypes.shape({
        family: PropTypes.string.isRequired,
        week: PropTypes.string.isRequired,
        error: PropTypes.string,
      }),
    ).isRequired,
  }).isRequired,
}
