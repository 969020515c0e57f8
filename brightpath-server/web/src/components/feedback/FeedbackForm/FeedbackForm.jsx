import { useState } from 'react'
import PropTypes from 'prop-types'
import { Field } from '../../common/Field/index.js'
import { Button } from '../../common/Button/index.js'

const SCALE = ['', '1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v || '—' }))

/** Engagement and difficulty (1-5) side by side: the lesson's, or `who`'s. */
function Ratings({ who, engagement, difficulty, onEngagement, onDifficulty, errors }) {
  const label = (what) => (who ? `${who}: ${what.toLowerCase()} (1-5)` : `${what} (1-5)`)
  return (
    <div className="row">
      <Field
        label={label('Engagement')}
        as="select"
        options={SCALE}
        value={engagement}
        onChange={(e) => onEngagement(e.target.value)}
        error={errors.engagement}
      />
      <Field
        label={label('Difficulty')}
        as="select"
        options={SCALE}
        value={difficulty}
        onChange={(e) => onDifficulty(e.target.value)}
        error={errors.difficulty}
      />
    </div>
  )
}

Ratings.propTypes = {
  who: PropTypes.string,
  engagement: PropTypes.string.isRequired,
  difficulty: PropTypes.string.isRequired,
  onEngagement: PropTypes.func.isRequired,
  onDifficulty: PropTypes.func.isRequired,
  errors: PropTypes.object.isRequired,
}

/**
 * Feedback after a lesson: actual minutes, engagement and difficulty (1-5)
 * and a note; `partial` marks it partly done. A group lesson (`students`:
 * two or more names) asks engagement and difficulty of each child, sent as
 * `ratings`. Calls onSubmit with the body the server's done endpoint takes.
 */
export function FeedbackForm({
  course,
  plannedMinutes,
  students = [],
  partial = false,
  onSubmit,
  onCancel,
  busy,
  errors = {},
}) {
  const [minutes, setMinutes] = useState(String(plannedMinutes ?? ''))
  const [engagement, setEngagement] = useState('')
  const [difficulty, setDifficulty] = useState('')
  const [perChild, setPerChild] = useState(() => students.map(() => ({ e: '', d: '' })))
  const [note, setNote] = useState('')
  const [isPartial, setPartial] = useState(partial)
  const group = students.length > 1
  const setChild = (i, key, value) =>
    setPerChild((all) => all.map((c, j) => (j === i ? { ...c, [key]: value } : c)))
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
        if (group) {
          const ratings = students
            .map((student, i) => {
              const r = { student }
              if (perChild[i].e) r.engagement = Number(perChild[i].e)
              if (perChild[i].d) r.difficulty = Number(perChild[i].d)
              return r
            })
            .filter((r) => r.engagement || r.difficulty)
          if (ratings.length) body.ratings = ratings
        }
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
      {group &&
        students.map((name, i) => {
          // The server names a child's field by its place among the ratings sent.
          const sent = students.slice(0, i).filter((_, j) => perChild[j].e || perChild[j].d).length
          return (
            <Ratings
              key={name}
              who={name}
              engagement={perChild[i].e}
              difficulty={perChild[i].d}
              onEngagement={(v) => setChild(i, 'e', v)}
              onDifficulty={(v) => setChild(i, 'd', v)}
              errors={{
                engagement: errors[`ratings[${sent}].engagement`],
                difficulty: errors[`ratings[${sent}].difficulty`],
              }}
            />
          )
        })}
      {!group && (
        <Ratings
          engagement={engagement}
          difficulty={difficulty}
          onEngagement={setEngagement}
          onDifficulty={setDifficulty}
          errors={errors}
        />
      )}
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
  students: PropTypes.arrayOf(PropTypes.string),
  partial: PropTypes.bool,
  onSubmit: PropTypes.func.isRequired,
  onCancel: PropTypes.func,
  busy: PropTypes.bool,
  errors: PropTypes.objectOf(PropTypes.string),
}
