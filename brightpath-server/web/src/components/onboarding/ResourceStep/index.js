export { ResourceStep } from './ResourceStep.jsx'
