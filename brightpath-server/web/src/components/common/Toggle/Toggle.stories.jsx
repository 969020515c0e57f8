import { Toggle } from './Toggle.jsx'

export default { title: 'Common/Toggle', component: Toggle }

export const ChildOrParent = {
  args: {
    label: 'Show the week by',
    value: 'students',
    onChange: () => {},
    options: [
      { value: 'students', label: 'Children' },
      { value: 'guardians', label: 'Parents' },
    ],
  },
}
