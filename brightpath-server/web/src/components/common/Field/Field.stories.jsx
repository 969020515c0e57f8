import { Field } from './Field.jsx'

export default { title: 'Common/Field', component: Field }

export const Text = {
  args: { label: 'Family name', name: 'name', hint: 'As it appears on records' },
}
export const WithError = {
  args: { label: 'Time zone', name: 'tz', defaultValue: 'Mars/Base', error: 'unknown time zone' },
}
export const Select = {
  args: {
    label: 'Scope',
    as: 'select',
    options: [
      { value: 'read', label: 'Read' },
      { value: 'write', label: 'Write' },
    ],
  },
}
