export { WhyDialog } from './WhyDialog.jsx'
