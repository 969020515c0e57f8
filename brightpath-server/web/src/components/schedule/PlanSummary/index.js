export { PlanSummary } from './PlanSummary.jsx'
