export { SkipForm } from './SkipForm.jsx'
