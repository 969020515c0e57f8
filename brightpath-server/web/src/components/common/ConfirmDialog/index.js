export { ConfirmDialog } from './ConfirmDialog.jsx'
