export { FeedbackForm } from './FeedbackForm.jsx'
