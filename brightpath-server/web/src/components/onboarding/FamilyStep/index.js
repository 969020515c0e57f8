export { FamilyStep } from './FamilyStep.jsx'
