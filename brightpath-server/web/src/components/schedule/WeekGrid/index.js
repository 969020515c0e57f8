export { WeekGrid } from './WeekGrid.jsx'
