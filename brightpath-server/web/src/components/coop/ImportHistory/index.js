export { ImportHistory } from './ImportHistory.jsx'
