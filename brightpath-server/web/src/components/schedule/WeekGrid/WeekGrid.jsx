import PropTypes from 'prop-types'
import { SessionCard, sessionShape } from '../SessionCard/index.js'
import { dayLabel } from '../../../lib/dates.js'
import styles from './WeekGrid.module.css'

/** Sessions and events of one person on one day, in time order. */
function cellItems(week, by, person, date) {
  const mine = (s) =>
    by === 'students' ? s.student_ids.includes(person.id) : s.teacher === person.name
  const sessions = week.sessions.filter((s) => s.date === date && mine(s))
  const events = week.events.filter(
    (e) =>
      e.date === date && (by === 'students' ? e.student_ids : e.guardian_ids).includes(person.id),
  )
  return { sessions: sessions.sort((a, b) => a.start.localeCompare(b.start)), events }
}

/**
 * The week as a table: a row per child (or parent), a column per day. On a
 * phone, `day` limits it to one day. Cards can be dropped on any cell; the
 * lesson keeps its start time there.
 */
export function WeekGrid({ week, by, day, onAction, onMove }) {
  const people = by === 'students' ? week.students : week.guardians
  const days = day ? week.days.filter((d) => d.date === day) : week.days
  const drop = (date) => (e) => {
    e.preventDefault()
    const id = e.dataTransfer.getData('text/plain')
    const s = week.sessions.find((x) => x.id === id)
    if (s && s.date !== date) onMove(s, { date, start: s.start })
  }
  const keyMove = (s, { days: dd, minutes }) => {
    const i = week.days.findIndex((d) => d.date === s.date)
    const target = week.days[i + dd]
    if (!target) return
    const [h, m] = s.start.split(':').map(Number)
    const t = Math.max(0, Math.min(23 * 60 + 45, h * 60 + m + minutes))
    const start = `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`
    onMove(s, { date: target.date, start })
  }
  return (
    <div className={styles.scroll}>
      <table className={styles.grid}>
        <caption className="visually-hidden">
          Week of {week.week_start} by {by === 'students' ? 'child' : 'parent'}
        </caption>
        <thead>
          <tr>
            <th scope="col">{by === 'students' ? 'Child' : 'Parent'}</th>
            {days.map((d) => (
              <th key={d.date} scope="col" className={d.school_day ? '' : styles.off}>
                {dayLabel(d.date)}
                {d.off && <div className={styles.offName}>{d.off}</div>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              {days.map((d) => {
                const { sessions, events } = cellItems(week, by, p, d.date)
                return (
                  <td
                    key={d.date}
                    className={styles.cell}
                    onDragOver={(e) => e.preventDefault()}
                    onDrop={drop(d.date)}
                    data-date={d.date}
                  >
                    <ul className={styles.list}>
                      {[
                        ...events.map((e) => ({ kind: 'event', start: e.start, e })),
                        ...sessions.map((s) => ({ kind: 'session', start: s.start, s })),
                      ]
                        .sort((a, b) => a.start.localeCompare(b.start))
                        .map((it) =>
                          it.kind === 'event' ? (
                            <li key={`e-${it.e.name}-${it.start}`} className={styles.event}>
                              <span className={styles.time}>
                                {it.e.start}–{it.e.end}
                              </span>{' '}
                              {it.e.name}
                              {it.e.away ? ' (away)' : ''}
                            </li>
                          ) : (
                            <li key={it.s.id}>
                              <SessionCard session={it.s} onAction={onAction} onKeyMove={keyMove} />
                            </li>
                          ),
                        )}
                    </ul>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

WeekGrid.propTypes = {
  week: PropTypes.shape({
    week_start: PropTypes.string.isRequired,
    days: PropTypes.arrayOf(
      PropTypes.shape({
        date: PropTypes.string.isRequired,
        school_day: PropTypes.bool,
        off: PropTypes.string,
      }),
    ).isRequired,
    students: PropTypes.array.isRequired,
    guardians: PropTypes.array.isRequired,
    sessions: PropTypes.arrayOf(sessionShape).isRequired,
    events: PropTypes.array.isRequired,
  }).isRequired,
  by: PropTypes.oneOf(['students', 'guardians']).isRequired,
  day: PropTypes.string,
  onAction: PropTypes.func.isRequired,
  onMove: PropTypes.func.isRequired,
}
