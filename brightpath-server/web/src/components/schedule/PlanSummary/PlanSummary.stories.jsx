import { PlanSummary } from './PlanSummary.jsx'
import { week } from '../../../test/fixtures.js'

export default { title: 'Schedule/PlanSummary', component: PlanSummary }

export const WithUnscheduled = { args: { score: week().score, unscheduled: week().unscheduled } }
export const AllFits = { args: { score: { total: 20 }, unscheduled: [] } }
