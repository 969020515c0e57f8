export { ImportDiff } from './ImportDiff.jsx'
