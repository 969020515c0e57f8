import { SessionCard } from './SessionCard.jsx'
import { session } from '../../../test/fixtures.js'

export default { title: 'Schedule/SessionCard', component: SessionCard }

const noop = () => {}
export const Planned = { args: { session: session(), onAction: noop, onKeyMove: noop } }
export const Pinned = {
  args: { session: session({ pinned: true }), onAction: noop, onKeyMove: noop },
}
export const Done = {
  args: { session: session({ status: 'done' }), onAction: noop, onKeyMove: noop },
}
