import { Dropdown } from './Dropdown.jsx'
import { Button } from '../Button/index.js'

export default { title: 'Common/Dropdown', component: Dropdown }

export const SessionActions = {
  args: {
    label: 'Session actions',
    trigger: <Button tone="secondary">Actions</Button>,
    items: [
      { label: 'Pin here', onSelect: () => {} },
      { label: 'Why is this here?', onSelect: () => {} },
      { label: 'Move…', onSelect: () => {}, disabled: true },
    ],
  },
}
