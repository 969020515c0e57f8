import { MoveDialog } from './MoveDialog.jsx'
import { session, week } from '../../../test/fixtures.js'

export default { title: 'Schedule/MoveDialog', component: MoveDialog }

const noop = () => {}
export const Open = { args: { session: session(), days: week().days, onMove: noop, onClose: noop } }
export const Refused = {
  args: {
    session: session(),
    days: week().days,
    onMove: noop,
    onClose: noop,
    error: 'Ben already has Nature Science then',
  },
}
