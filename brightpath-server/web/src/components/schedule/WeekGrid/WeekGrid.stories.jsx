import { WeekGrid } from './WeekGrid.jsx'
import { week } from '../../../test/fixtures.js'

export default { title: 'Schedule/WeekGrid', component: WeekGrid }

const noop = () => {}
export const ByChild = { args: { week: week(), by: 'students', onAction: noop, onMove: noop } }
export const ByParent = { args: { week: week(), by: 'guardians', onAction: noop, onMove: noop } }
export const OneDay = {
  args: { week: week(), by: 'students', day: '2026-12-07', onAction: noop, onMove: noop },
}
