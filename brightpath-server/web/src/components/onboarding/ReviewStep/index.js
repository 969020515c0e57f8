export { ReviewStep } from './ReviewStep.jsx'
