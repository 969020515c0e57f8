import { Button } from './Button.jsx'

export default { title: 'Common/Button', component: Button }

export const Primary = { args: { children: 'Re-plan the week' } }
export const Secondary = { args: { children: 'Cancel', tone: 'secondary' } }
export const Danger = { args: { children: 'Revoke', tone: 'danger' } }
export const Busy = { args: { children: 'Saving', busy: true } }
