import { ClassList } from './ClassList.jsx'
import { FamilyList } from './FamilyList.jsx'
import { coopClasses, manyClasses, rosterFamilies } from '../../../test/fixtures.js'

export default { title: 'Coop/RosterLists', component: ClassList }

export const Classes = { args: { classes: coopClasses } }

/** A big co-op: 1,000 classes, the first 200 drawn. */
export const ManyClasses = { args: { classes: manyClasses(1000) } }

export const NoClasses = { args: { classes: [] } }

export const Families = { render: () => <FamilyList families={rosterFamilies} /> }
