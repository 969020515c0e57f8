import { useEffect, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { useCurrentFamily } from '../lib/family.jsx'
import { usePlan, useReschedule, useWeek } from '../api/week.js'
import { addDays } from '../lib/dates.js'
import { describe } from '../lib/errors.js'
import { useMediaQuery } from '../lib/useMediaQuery.js'
import { Button } from '../components/common/Button/index.js'
import { Toggle } from '../components/common/Toggle/index.js'
import { useToast } from '../components/common/Toast/index.js'
import { WeekGrid } from '../components/schedule/WeekGrid/index.js'
import { WhyDialog } from '../components/schedule/WhyDialog/index.js'
import { MoveDialog } from '../components/schedule/MoveDialog/index.js'
import { PlanSummary } from '../components/schedule/PlanSummary/index.js'
import { Reschedule } from '../components/schedule/Reschedule/index.js'
import { useSessionChange } from './useSessionChange.js'

/** The week: a grid per child or parent; move, pin, re-plan, ask why. */
export default function Week() {
  const family = useCurrentFamily()
  const fid = family?.id ?? ''
  const [params] = useSearchParams()
  const date = params.get('date') ?? undefined
  const week = useWeek(fid, date)
  const { change } = useSessionChange(fid, date)
  const plan = usePlan(fid)
  const dayOff = useReschedule(fid, 'day-off')
  const catchUp = useReschedule(fid, 'catch-up')
  const toast = useToast()
  const phone = useMediaQuery('(max-width: 640px)')
  const [by, setBy] = useState('students')
  const [day, setDay] = useState('')
  const [why, setWhy] = useState(null)
  const [moving, setMoving] = useState(null)
  const [moveError, setMoveError] = useState('')
  const [announce, setAnnounce] = useState('')
  const refocus = useRef('')

  // After a keyboard move the card is drawn in its new cell: keep focus on it.
  useEffect(() => {
    if (!refocus.current) return
    const el = document.querySelector(`[data-session="${refocus.current}"]`)
    if (el) {
      el.focus()
      refocus.current = ''
    }
  }, [week.data])

  if (!family) return <p>No family yet.</p>
  if (week.isPending) return <p>Loading the week…</p>
  if (week.isError) return <p role="alert">{describe(week.error)}</p>
  const w = week.data
  const shownDay = phone
    ? day || w.days.find((d) => d.school_day)?.date || w.days[0].date
    : undefined

  const move = (session, to) => {
    setMoveError('')
    change(session, 'move', to, {
      onDone: (r) => {
        refocus.current = session.id
        setAnnounce(r.message)
        setMoving(null)
      },
      onError: (e) => {
        setAnnounce(`Not moved: ${describe(e)}`)
        setMoveError(describe(e))
        const el = document.querySelector(`[data-session="${session.id}"]`)
        el?.focus()
      },
    })
  }
  const onAction = (s, a) => {
    if (a === 'why') setWhy(s)
    else if (a === 'move-dialog') {
      setMoveError('')
      setMoving(s)
    } else change(s, a)
  }
  const reschedule = (kind, body) => (kind === 'day-off' ? dayOff : catchUp).mutateAsync(body)

  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Week of {w.week_start}</h1>
        <div className="row" data-print="hide">
          <Link to={`/week?date=${addDays(w.week_start, -7)}`}>← Previous week</Link>
          <Link to={`/week?date=${addDays(w.week_start, 7)}`}>Next week →</Link>
        </div>
      </div>
      <div className="row" data-print="hide">
        <Toggle
          label="Show the week by"
          value={by}
          onChange={setBy}
          options={[
            { value: 'students', label: 'Children' },
            { value: 'guardians', label: 'Parents' },
          ]}
        />
        <Button
          busy={plan.isPending}
          onClick={() =>
            plan.mutate(
              { week: w.week_start },
              {
                onSuccess: (o) =>
                  toast({
                    title: `Re-planned: ${o.planned ?? 0} lessons placed, ${o.kept ?? 0} kept`,
                    tone: 'success',
                  }),
                onError: (e) =>
                  toast({ title: 'Not re-planned', description: describe(e), tone: 'error' }),
              },
            )
          }
        >
          {w.planned ? 'Re-plan the week' : 'Plan the week'}
        </Button>
      </div>
      <p className="muted">
        Drag a lesson to another day, or focus it and press Alt+← / Alt+→ (a day) or Alt+↑ / Alt+↓
        (15 minutes). Enter opens its actions.
      </p>
      <p aria-live="polite" className="visually-hidden">
        {announce}
      </p>
      {phone && (
        <Toggle
          label="Day"
          value={shownDay}
          onChange={setDay}
          options={w.days.map((d) => ({ value: d.date, label: d.weekday }))}
        />
      )}
      <WeekGrid week={w} by={by} day={shownDay} onAction={onAction} onMove={move} />
      <PlanSummary score={w.score} unscheduled={w.unscheduled} />
      <Reschedule
        defaultDate={w.days.find((d) => d.school_day)?.date ?? w.week_start}
        onPreview={reschedule}
        onApply={reschedule}
      />
      <WhyDialog familyId={fid} session={why} onClose={() => setWhy(null)} />
      {moving && (
        <MoveDialog
          key={moving.id}
          session={moving}
          days={w.days}
          onMove={move}
          onClose={() => setMoving(null)}
          error={moveError}
        />
      )}
    </>
  )
}
