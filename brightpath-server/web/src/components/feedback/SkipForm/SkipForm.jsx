import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'

/** Skip a lesson, saying why (the reason is kept with the record). */
export function SkipForm({ course, onSubmit, onCancel, busy, error }) {
  const [reason, setReason] = useState('')
  return (
    <form
      className="stack"
      aria-label={`Skip ${course}`}
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit({ reason: reason.trim() })
      }}
    >
      <Field
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        error={error}
        hint="e.g. dentist, sick day"
      />
      <div className="row">
        <Button type="submit" busy={busy} disabled={!reason.trim()}>
          Skip lesson
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

SkipForm.propTypes = {
  course: PropTypes.string.isRequired,
  onSubmit: PropTypes.func.isRequired,
  onCancel: PropTypes.func,
  busy: PropTypes.bool,
  error: PropTypes.string,
}
