export { PacingChart } from './PacingChart.jsx'
