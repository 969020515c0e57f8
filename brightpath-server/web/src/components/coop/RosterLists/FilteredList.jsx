import { useDeferredValue, useId, useMemo, useState } from 'react'
import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { Field } from '../../common/Field/index.js'
import { count, formatNumber } from './format.js'
import styles from './RosterLists.module.css'

/** How many cards are drawn at first, and added by each "Show more". */
export const PAGE = 200

/**
 * A long list with a filter box (client-side, case-insensitive) that draws
 * only the first PAGE matches and then PAGE more on each "Show more": a
 * co-op of 30,000 families stays quick.
 */
export function FilteredList({ items, text, keyOf, renderItem, label, one, many, hint }) {
  const [query, setQuery] = useState('')
  const deferred = useDeferredValue(query)
  const needle = deferred.trim().toLowerCase()
  const index = useMemo(() => items.map(text), [items, text])
  const matches = useMemo(
    () => (needle ? items.filter((_, i) => index[i].includes(needle)) : items),
    [items, index, needle],
  )
  const [more, setMore] = useState({ needle: '', shown: PAGE })
  const shown = more.needle === needle ? more.shown : PAGE
  const visible = matches.slice(0, shown)
  const listId = useId()
  const plural = many ?? `${one}s`
  const summary = needle
    ? `${count(matches.length, one, plural)} match “${deferred.trim()}”`
    : count(items.length, one, plural)
  return (
    <div className="stack">
      <Field
        label={label}
        type="search"
        value={query}
        hint={hint}
        autoComplete="off"
        aria-controls={listId}
        onChange={(e) => setQuery(e.target.value)}
        className={styles.filter}
      />
      <p role="status" aria-live="polite" className={styles.summary}>
        {summary}
        {matches.length > visible.length && ` (showing the first ${formatNumber(visible.length)})`}
      </p>
      <ul id={listId} className={styles.cards}>
        {visible.map((item) => (
          <li key={keyOf(item)} className={styles.card}>
            {renderItem(item)}
          </li>
        ))}
      </ul>
      {matches.length > visible.length && (
        <div>
          <Button tone="secondary" onClick={() => setMore({ needle, shown: shown + PAGE })}>
            Show {formatNumber(Math.min(PAGE, matches.length - visible.length))} more
          </Button>
        </div>
      )}
    </div>
  )
}

FilteredList.propTypes = {
  items: PropTypes.array.isRequired,
  /** The item's searchable text, lower case. */
  text: PropTypes.func.isRequired,
  keyOf: PropTypes.func.isRequired,
  renderItem: PropTypes.func.isRequired,
  label: PropTypes.string.isRequired,
  one: PropTypes.string.isRequired,
  many: PropTypes.string,
  hint: PropTypes.string,
}
