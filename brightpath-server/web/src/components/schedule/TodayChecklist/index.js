export { TodayChecklist } from './TodayChecklist.jsx'
