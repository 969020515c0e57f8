export { MoveDialog } from './MoveDialog.jsx'
