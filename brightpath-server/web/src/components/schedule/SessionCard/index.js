export { SessionCard, sessionShape } from './SessionCard.jsx'
