import { PacingChart } from './PacingChart.jsx'
import { pacing } from '../../../test/fixtures.js'

export default { title: 'Schedule/PacingChart', component: PacingChart }

export const Behind = { args: { row: pacing[0] } }
export const OnTrack = { args: { row: pacing[1] } }
