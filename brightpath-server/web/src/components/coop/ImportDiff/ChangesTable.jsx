import { Fragment, useId, useState } from 'react'
import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { count, kindLabel, kinds } from './summary.js'
import styles from './ImportDiff.module.css'

const COLUMNS = ['created', 'updated', 'unchanged', 'removed']

/** The ids of the first few records of each change, under the kind's row. */
function Examples({ id, examples, totals }) {
  const lists = ['created', 'updated', 'removed'].filter((c) => examples[c].length > 0)
  return (
    <div id={id} className={styles.examples}>
      {lists.map((c) => (
        <div key={c}>
          <h4 className={styles.exampleTitle}>
            {c === 'created' ? 'Created' : c === 'updated' ? 'Updated' : 'Removed'}
            {totals[c] > examples[c].length &&
              ` (first ${examples[c].length} of ${count(totals[c])})`}
          </h4>
          <ul className={styles.ids}>
            {examples[c].map((x) => (
              <li key={x}>
                <code>{x}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}

Examples.propTypes = {
  id: PropTypes.string.isRequired,
  examples: PropTypes.objectOf(PropTypes.arrayOf(PropTypes.string)).isRequired,
  totals: PropTypes.objectOf(PropTypes.number).isRequired,
}

/** One row a kind: created, updated, unchanged, removed, and its examples on demand. */
export function ChangesTable({ changes, caption }) {
  const base = useId()
  const [open, setOpen] = useState(() => new Set())
  const toggle = (k) =>
    setOpen((s) => {
      const next = new Set(s)
      if (next.has(k)) next.delete(k)
      else next.add(k)
      return next
    })
  const rows = kinds(changes)
  if (rows.length === 0) return <p className="muted">No records in this file.</p>
  return (
    <div className={styles.scroll} role="region" aria-label={caption} tabIndex={0}>
      <table className={styles.changes}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={styles.num}>
                {c.charAt(0).toUpperCase() + c.slice(1)}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Examples</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, d]) => {
            const has =
              d.examples.created.length + d.examples.updated.length + d.examples.removed.length > 0
            const id = `${base}-${k}`
            return (
              <Fragment key={k}>
                <tr>
                  <th scope="row">{kindLabel(k)}</th>
                  {COLUMNS.map((c) => (
                    <td
                      data-label={c.charAt(0).toUpperCase() + c.slice(1)}
                      key={c}
                      className={`${styles.num} ${d[c] && c !== 'unchanged' ? styles[c] : ''}`}
                    >
                      {count(d[c])}
                    </td>
                  ))}
                  <td className={styles.more}>
                    {has && (
                      <Button
                        size="sm"
                        tone="ghost"
                        aria-label={`Examples of ${kindLabel(k).toLowerCase()}`}
                        aria-expanded={open.has(k)}
                        aria-controls={open.has(k) ? id : undefined}
                        onClick={() => toggle(k)}
                      >
                        Examples
                      </Button>
                    )}
                  </td>
                </tr>
                {open.has(k) && (
                  <tr className={styles.exampleRow}>
                    <td colSpan={COLUMNS.length + 2}>
                      <Examples id={id} examples={d.examples} totals={d} />
                    </td>
                  </tr>
                )}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

const diff = PropTypes.shape({
  created: PropTypes.number.isRequired,
  updated: PropTypes.number.isRequired,
  unchanged: PropTypes.number.isRequired,
  removed: PropTypes.number.isRequired,
  examples: PropTypes.objectOf(PropTypes.arrayOf(PropTypes.string)).isRequired,
})

ChangesTable.propTypes = {
  changes: PropTypes.objectOf(diff).isRequired,
  caption: PropTypes.string.isRequired,
}
