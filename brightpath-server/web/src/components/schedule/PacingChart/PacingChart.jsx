import PropTypes from 'prop-types'
import styles from './PacingChart.module.css'

const W = 320
const BAR = 14

/**
 * One course's pace: lessons done against expected by now, out of the
 * total, and the projected finish against the year's end.
 */
export function PacingChart({ row }) {
  const scale = (n) => (row.total > 0 ? (n / row.total) * W : 0)
  const late = row.projected_finish && row.year_end && row.projected_finish > row.year_end
  const label = `${row.course} for ${row.student}: ${row.done} of ${row.total} lessons done, ${row.expected} expected by now; projected finish ${row.projected_finish ?? 'unknown'}, year ends ${row.year_end ?? 'unknown'}`
  return (
    <figure className={styles.figure}>
      <svg
        viewBox={`0 0 ${W} ${BAR * 2 + 8}`}
        className={styles.svg}
        role="img"
        aria-label={label}
        preserveAspectRatio="none"
      >
        <rect x="0" y="0" width={W} height={BAR} className={styles.track} />
        <rect x="0" y="0" width={scale(row.done)} height={BAR} className={styles.done} />
        <rect
          x="0"
          y={BAR + 4}
          width={scale(row.expected)}
          height={BAR}
          className={styles.expected}
        />
        <line
          x1={scale(row.expected)}
          x2={scale(row.expected)}
          y1="0"
          y2={BAR * 2 + 8}
          className={styles.marker}
        />
      </svg>
      <figcaption className={styles.caption}>
        <span>
          {row.done}/{row.total} done · {row.expected} expected
        </span>
        <span className={late ? styles.late : undefined}>
          finish {row.projected_finish ?? '?'} (year ends {row.year_end ?? '?'})
        </span>
      </figcaption>
    </figure>
  )
}

PacingChart.propTypes = {
  row: PropTypes.shape({
    student: PropTypes.string.isRequired,
    course: PropTypes.string.isRequired,
    total: PropTypes.number.isRequired,
    done: PropTypes.number.isRequired,
    expected: PropTypes.number.isRequired,
    projected_finish: PropTypes.string,
    year_end: PropTypes.string,
  }).isRequired,
}
