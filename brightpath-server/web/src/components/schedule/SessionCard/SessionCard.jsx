import PropTypes from 'prop-types'
import { Dropdown } from '../../common/Dropdown/index.js'
import styles from './SessionCard.module.css'

export const sessionShape = PropTypes.shape({
  id: PropTypes.string.isRequired,
  date: PropTypes.string.isRequired,
  start: PropTypes.string.isRequired,
  end: PropTypes.string.isRequired,
  course: PropTypes.string.isRequired,
  lesson: PropTypes.string,
  students: PropTypes.arrayOf(PropTypes.string).isRequired,
  teacher: PropTypes.string,
  status: PropTypes.string.isRequired,
  pinned: PropTypes.bool.isRequired,
  version: PropTypes.number.isRequired,
})

const KEY_MOVES = {
  ArrowLeft: { days: -1, minutes: 0 },
  ArrowRight: { days: 1, minutes: 0 },
  ArrowUp: { days: 0, minutes: -15 },
  ArrowDown: { days: 0, minutes: 15 },
}

/**
 * One lesson in the week. Enter opens its actions; Alt+arrows move it
 * (a day left or right, 15 minutes up or down); it can be dragged to a cell.
 */
export function SessionCard({ session, onAction, onKeyMove }) {
  const s = session
  const onKeyDown = (e) => {
    const move = e.altKey && KEY_MOVES[e.key]
    if (move) {
      e.preventDefault()
      onKeyMove(s, move)
    }
  }
  const items = [
    { label: 'Move…', onSelect: () => onAction(s, 'move-dialog') },
    {
      label: s.pinned ? 'Unpin' : 'Pin here',
      onSelect: () => onAction(s, s.pinned ? 'unpin' : 'pin'),
    },
    { label: 'Why is this here?', onSelect: () => onAction(s, 'why') },
  ]
  return (
    <Dropdown
      label={`Actions for ${s.course}`}
      items={items}
      trigger={
        <button
          type="button"
          className={`${styles.card} ${styles[s.status] ?? ''}`}
          aria-keyshortcuts="Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown"
          draggable
          data-session={s.id}
          onDragStart={(e) => {
            e.dataTransfer.setData('text/plain', s.id)
            e.dataTransfer.effectAllowed = 'move'
          }}
          onKeyDown={onKeyDown}
        >
          <span className={styles.time}>
            {s.start}–{s.end} {s.pinned && <span aria-hidden="true">📌</span>}{' '}
          </span>
          <span className={styles.course}>{s.course}</span>{' '}
          {s.lesson && <span className={styles.lesson}>{s.lesson}</span>}{' '}
          {s.status !== 'planned' && <span className={styles.status}>{s.status}</span>}
          <span className="visually-hidden">
            , {s.students.join(', ')}
            {s.pinned ? ', pinned' : ''}
          </span>
        </button>
      }
    />
  )
}

SessionCard.propTypes = {
  session: sessionShape.isRequired,
  onAction: PropTypes.func.isRequired,
  onKeyMove: PropTypes.func.isRequired,
}
