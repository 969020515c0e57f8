export { CurriculumStep } from './CurriculumStep.jsx'
