import PropTypes from 'prop-types'
import { count } from './summary.js'
import styles from './ImportDiff.module.css'

const HEADS = ['File', 'Line', 'Column', 'Problem', 'How to fix']

/**
 * Every problem (or warning) with where it is and how to mend it; on a
 * phone each row stacks into a card. `total` is how many the server found
 * (it sends at most 1,000).
 */
export function ProblemTable({ caption, rows, total }) {
  return (
    <>
      {total > rows.length && (
        <p className="muted">
          Showing the first {count(rows.length)} of {count(total)}. Fix these and check the file
          again to see the rest.
        </p>
      )}
      <table className={styles.problems}>
        <caption className={styles.caption}>{caption}</caption>
        <thead>
          <tr>
            {HEADS.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((p, i) => (
            <tr key={i}>
              <td data-label="File">
                <code>{p.file}</code>
              </td>
              <td data-label="Line">{p.line ? p.line : 'whole file'}</td>
              <td data-label="Column">{p.column ? <code>{p.column}</code> : '—'}</td>
              <td data-label="Problem">{p.message}</td>
              <td data-label="How to fix">{p.fix || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

ProblemTable.propTypes = {
  caption: PropTypes.string.isRequired,
  rows: PropTypes.arrayOf(
    PropTypes.shape({
      file: PropTypes.string.isRequired,
      line: PropTypes.number,
      column: PropTypes.string,
      message: PropTypes.string.isRequired,
      fix: PropTypes.string,
    }),
  ).isRequired,
  total: PropTypes.number.isRequired,
}
