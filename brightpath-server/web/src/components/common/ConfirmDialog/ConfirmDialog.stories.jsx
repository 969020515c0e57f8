import { ConfirmDialog } from './ConfirmDialog.jsx'
import { Button } from '../Button/index.js'

export default { title: 'Common/ConfirmDialog', component: ConfirmDialog }

export const Apply = {
  args: {
    title: 'Apply roster.zip?',
    description: 'This creates 120 users and removes 2 from Big Co-op.',
    trigger: <Button>Apply</Button>,
    confirmLabel: 'Apply',
    onConfirm: () => {},
  },
}
