import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { ConfirmDialog } from '../../common/ConfirmDialog/index.js'
import { changeLines } from '../ImportDiff/summary.js'
import styles from './ApplyImport.module.css'

/**
 * "Apply" for a dry run that passed and changes something, behind a
 * confirmation that states the counts.
 */
export function ApplyImport({ report, fileName, coopName, busy = false, onApply }) {
  const lines = changeLines(report.changes)
  const removes = Object.values(report.changes).some((d) => d.removed > 0)
  return (
    <ConfirmDialog
      title={`Apply ${fileName} to ${coopName}?`}
      description="These changes are written to the co-op's roster, and the families' weeks that they touch are planned again."
      confirmLabel="Apply changes"
      tone={removes ? 'danger' : 'primary'}
      onConfirm={onApply}
      trigger={<Button busy={busy}>Apply…</Button>}
    >
      <ul className={styles.counts} aria-label="Changes to apply">
        {lines.map(([kind, words]) => (
          <li key={kind}>
            <strong>{kind}</strong>: {words}
          </li>
        ))}
      </ul>
      {removes && (
        <p className={styles.warn}>Removed records leave the roster and their classes.</p>
      )}
    </ConfirmDialog>
  )
}

ApplyImport.propTypes = {
  report: PropTypes.shape({ changes: PropTypes.object.isRequired }).isRequired,
  fileName: PropTypes.string.isRequired,
  coopName: PropTypes.string.isRequired,
  busy: PropTypes.bool,
  onApply: PropTypes.func.isRequired,
}
