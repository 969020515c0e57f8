import { ImportHistory } from './ImportHistory.jsx'
import { imports } from '../../../test/fixtures.js'

export default { title: 'Coop/ImportHistory', component: ImportHistory }

export const Recent = { args: { imports, timeZone: 'America/Chicago', current: 'imp2' } }
export const None = { args: { imports: [] } }
