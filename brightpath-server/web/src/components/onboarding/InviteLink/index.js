export { InviteLink } from './InviteLink.jsx'
