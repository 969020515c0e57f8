import { useState } from 'react'
import PropTypes from 'prop-types'
import { Dialog } from '../../common/Dialog/index.js'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'

/** Move a lesson to a day and time typed or picked (the keyboard's full form). */
export function MoveDialog({ session, days, onMove, onClose, busy, error }) {
  const [date, setDate] = useState(session?.date ?? '')
  const [start, setStart] = useState(session?.start ?? '')
  if (!session) return null
  return (
    <Dialog
      title={`Move ${session.course}`}
      description="The server checks every rule; a refusal says why and nothing moves."
      open
      onOpenChange={(o) => !o && onClose()}
    >
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault()
          onMove(session, { date, start })
        }}
      >
        <Field
          label="Day"
          as="select"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          options={days.map((d) => ({ value: d.date, label: `${d.weekday} ${d.date}` }))}
        />
        <Field
          label="Start"
          type="time"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          error={error}
        />
        <div className="row">
          <Button type="submit" busy={busy}>
            Move
          </Button>
          <Button tone="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

MoveDialog.propTypes = {
  session: PropTypes.shape({
    course: PropTypes.string.isRequired,
    date: PropTypes.string.isRequired,
    start: PropTypes.string.isRequired,
  }),
  days: PropTypes.arrayOf(
    PropTypes.shape({ date: PropTypes.string.isRequired, weekday: PropTypes.string.isRequired }),
  ).isRequired,
  onMove: PropTypes.func.isRequired,
  onClose: PropTypes.func.isRequired,
  busy: PropTypes.bool,
  error: PropTypes.string,
}
