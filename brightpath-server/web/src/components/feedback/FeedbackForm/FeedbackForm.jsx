import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'

const SCALE = ['', '1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v || '—' }))

/**
 * Feedback after a lesson: actual minutes, engagement and difficulty (1-5)
 * and a note; `partial` marks it partly done. Calls onSubmit with the body
 * the server's done endpoint takes.
 */
export function FeedbackForm({
  course,
  plannedMinutes,
  partial = false,
  onSubmit,
  onCancel,
  busy,
  errors = {},
}) {
  const [minutes, setMinutes] = useState(String(plannedMinutes ?? ''))
  const [engagement, setEngagement] = useState('')
  const [difficulty, setDifficulty] = useState('')
  const [note, setNote] = useState('')
  const [isPartial, setPartial] = useState(partial)
  return (
    <form
      className="stack"
      aria-label={`Feedback for ${course}`}
      onSubmit={(e) => {
        e.preventDefault()
        const body = { partial: isPartial }
        if (minutes !== '') body.minutes = Number(minutes)
        if (engagement) body.engagement = Number(engagement)
        if (difficulty) body.difficulty = Number(difficulty)
        if (note.trim()) body.note = note.trim()
        onSubmit(body)
      }}
    >
      <Field
        label="Actual minutes"
        type="number"
        min="0"
        max="600"
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        error={errors.minutes}
      />
      <div className="row">
        <Field
          label="Engagement (1-5)"
          as="select"
          options={SCALE}
          value={engagement}
          onChange={(e) => setEngagement(e.target.value)}
          error={errors.engagement}
        />
        <Field
          label="Difficulty (1-5)"
          as="select"
          options={SCALE}
          value={difficulty}
          onChange={(e) => setDifficulty(e.target.value)}
          error={errors.difficulty}
        />
      </div>
      <Field
        label="Note"
        as="textarea"
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.note}
      />
      <label className="row">
        <input type="checkbox" checked={isPartial} onChange={(e) => setPartial(e.target.checked)} />
        Only partly done
      </label>
      <div className="row">
        <Button type="submit" busy={busy}>
          {isPartial ? 'Save as partly done' : 'Save as done'}
        </Button>
        {onCancel && (
          <Button tone="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  )
}

FeedbackForm.propTypes = {
  course: PropTypes.string.isRequired,
  plannedMinutes: PropTypes.number,
  partial: PropTypes.bool,
  onSubmit: PropTypes.func.isRequired,
  onCancel: PropTypes.func,
  busy: PropTypes.bool,
  errors: PropTypes.objectOf(PropTypes.string),
}
