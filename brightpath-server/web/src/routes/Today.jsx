import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { useCurrentFamily } from '../lib/family.jsx'
import { useWeek } from '../api/week.js'
import { dayLabel, todayIn } from '../lib/dates.js'
import { describe, fieldError } from '../lib/errors.js'
import { Dialog } from '../components/common/Dialog/index.js'
import { TodayChecklist } from '../components/schedule/TodayChecklist/index.js'
import { FeedbackForm } from '../components/feedback/FeedbackForm/index.js'
import { SkipForm } from '../components/feedback/SkipForm/index.js'
import { useSessionChange } from './useSessionChange.js'

/** Today: each child's checklist; marks show at once and roll back on refusal. */
export default function Today() {
  const family = useCurrentFamily()
  const fid = family?.id ?? ''
  const [params] = useSearchParams()
  const date = params.get('date') ?? todayIn(family?.time_zone ?? 'UTC')
  const week = useWeek(fid, date)
  const { change, pending } = useSessionChange(fid, date)
  const [open, setOpen] = useState(/** @type {null | {s: object, kind: string}} */ (null))
  const [error, setError] = useState(null)
  if (!family) return <p>No family yet.</p>
  if (week.isPending) return <p>Loading today…</p>
  if (week.isError) return <p role="alert">{describe(week.error)}</p>
  const close = () => {
    setOpen(null)
    setError(null)
  }
  const submit = (name, body) =>
    change(open.s, name, body, { onDone: close, onError: (e) => setError(e) })
  return (
    <>
      <h1>Today · {dayLabel(date)}</h1>
      <TodayChecklist
        week={week.data}
        date={date}
        onMark={(s, kind) => (kind === 'done' ? change(s, 'done', {}) : setOpen({ s, kind }))}
      />
      {open && (
        <Dialog
          title={open.kind === 'skip' ? `Skip ${open.s.course}` : `How did ${open.s.course} go?`}
          open
          onOpenChange={(o) => !o && close()}
        >
          {open.kind === 'skip' ? (
            <SkipForm
              course={open.s.course}
              busy={pending}
              onSubmit={(b) => submit('skip', b)}
              onCancel={close}
              error={error ? describe(error) : undefined}
            />
          ) : (
            <FeedbackForm
              course={open.s.course}
              plannedMinutes={open.s.minutes}
              students={open.s.students}
              partial={open.kind === 'partial'}
              busy={pending}
              onSubmit={(b) => submit('done', b)}
              onCancel={close}
              errors={Object.fromEntries(
                ['minutes', 'engagement', 'difficulty', 'note']
                  .concat(
                    open.s.students.flatMap((_, i) => [
                      `ratings[${i}].engagement`,
                      `ratings[${i}].difficulty`,
                    ]),
                  )
                  .map((f) => [f, fieldError(error, f)])
                  .filter(([, v]) => v),
              )}
            />
          )}
        </Dialog>
      )}
    </>
  )
}
