export { Insights } from './Insights.jsx'
