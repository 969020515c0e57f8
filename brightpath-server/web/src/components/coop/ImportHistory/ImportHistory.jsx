import PropTypes from 'prop-types'
import { fileSize } from '../ZipPicker/index.js'
import styles from './ImportHistory.module.css'

/** "5 Dec 2026, 17:00" in the co-op's time zone. */
export function when(iso, timeZone = 'UTC') {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const opts = { dateStyle: 'medium', timeStyle: 'short' }
  try {
    return d.toLocaleString('en-GB', { ...opts, timeZone })
  } catch {
    return d.toLocaleString('en-GB', { ...opts, timeZone: 'UTC' })
  }
}

/** The co-op's uploaded roster files, newest first, and whether each was applied. */
export function ImportHistory({ imports, timeZone, current }) {
  if (imports.length === 0) return <p className="muted">No roster file uploaded yet.</p>
  return (
    <ul className={styles.list}>
      {imports.map((i) => (
        <li key={i.id} className={styles.item} aria-current={i.id === current || undefined}>
          <span className={styles.name}>{i.file_name}</span>
          <span className={styles.meta}>
            {fileSize(i.bytes)} · uploaded {when(i.uploaded_at, timeZone)}
            {i.uploaded_by && ` by ${i.uploaded_by}`}
          </span>
          <span className={i.applied_at ? styles.applied : styles.checked}>
            {i.applied_at ? `Applied ${when(i.applied_at, timeZone)}` : 'Checked, not applied'}
          </span>
        </li>
      ))}
    </ul>
  )
}

ImportHistory.propTypes = {
  imports: PropTypes.arrayOf(
    PropTypes.shape({
      id: PropTypes.string.isRequired,
      file_name: PropTypes.string.isRequired,
      bytes: PropTypes.number.isRequired,
      uploaded_at: PropTypes.string.isRequired,
      uploaded_by: PropTypes.string,
      applied_at: PropTypes.string,
    }),
  ).isRequired,
  timeZone: PropTypes.string,
  current: PropTypes.string,
}
