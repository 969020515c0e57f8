import { TodayChecklist } from './TodayChecklist.jsx'
import { session, week } from '../../../test/fixtures.js'

export default { title: 'Schedule/TodayChecklist', component: TodayChecklist }

export const Monday = { args: { week: week(), date: '2026-12-07', onMark: () => {} } }
export const SomeDone = {
  args: {
    week: week({ sessions: [session({ status: 'done' })] }),
    date: '2026-12-07',
    onMark: () => {},
  },
}
