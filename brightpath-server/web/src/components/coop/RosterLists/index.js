export { ClassList } from './ClassList.jsx'
export { FamilyList } from './FamilyList.jsx'
export { count, formatNumber, meetingText } from './format.js'
