import { useState } from 'react'
import PropTypes from 'prop-types'
import { Button } from '../../common/Button/index.js'
import { Field } from '../../common/Field/index.js'
import { Banner } from '../../common/Banner/index.js'

/** One line for a planned change, whatever fields the server sends. */
export function describeMove(m) {
  if (typeof m === 'string') return m
  if (m && typeof m === 'object') {
    if (m.message) return m.message
    const { course, from, to, date, start, change, students } = m
    const parts = [change, course, students && `(${[].concat(students).join(', ')})`]
    if (from || to) parts.push(`${from ?? '—'} → ${to ?? '—'}`)
    else if (date) parts.push(`${date}${start ? ` ${start}` : ''}`)
    const s = parts.filter(Boolean).join(' ')
    return s || JSON.stringify(m)
  }
  return String(m)
}

/**
 * Day off and catch-up: each shows what would move (a dry run) before it is
 * applied. `onPreview(kind, body)` and `onApply(kind, body)` return promises.
 */
export function Reschedule({ defaultDate, onPreview, onApply }) {
  const [date, setDate] = useState(defaultDate)
  const [preview, setPreview] = useState(
    /** @type {null | {kind: string, body: object, moves: unknown[]}} */ (null),
  )
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const run = async (fn) => {
    setBusy(true)
    setError('')
    try {
      await fn()
    } catch (e) {
      setError(e.message)
    } finally {
      setBusy(false)
    }
  }
  const ask = (kind, body) =>
    run(async () => {
      const r = await onPreview(kind, { ...body, dry_run: true })
      setPreview({ kind, body, moves: r?.diff ?? [], message: r?.message })
    })
  return (
    <section aria-labelledby="reschedule" className="stack">
      <h2 id="reschedule">Day off and catch-up</h2>
      <div className="row">
        <Field
          label="Day off on"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <Button tone="secondary" busy={busy} onClick={() => ask('day-off', { date })}>
          Preview day off
        </Button>
        <Button tone="secondary" busy={busy} onClick={() => ask('catch-up', {})}>
          Preview catch-up
        </Button>
      </div>
      {error && (
        <Banner tone="error" title="Refused">
          {error}
        </Banner>
      )}
      {preview && (
        <div className="stack" role="region" aria-label="What will move">
          <h3>
            {preview.kind === 'day-off' ? `Day off on ${preview.body.date}` : 'Catch-up'}: what will
            move
          </h3>
          {preview.message && <p>{preview.message}</p>}
          {preview.moves.length === 0 ? (
            <p>Nothing moves.</p>
          ) : (
            <ul>
              {preview.moves.map((m, i) => (
                <li key={i}>{describeMove(m)}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <Button
              busy={busy}
              onClick={() =>
                run(async () => {
                  await onApply(preview.kind, { ...preview.body, dry_run: false })
                  setPreview(null)
                })
              }
            >
              Apply
            </Button>
            <Button tone="secondary" onClick={() => setPreview(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </section>
  )
}

Reschedule.propTypes = {
  defaultDate: PropTypes.string.isRequired,
  onPreview: PropTypes.func.isRequired,
  onApply: PropTypes.func.isRequired,
}
