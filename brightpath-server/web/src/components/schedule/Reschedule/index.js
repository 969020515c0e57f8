export { Reschedule, describeMove } from './Reschedule.jsx'
