import { Reschedule } from './Reschedule.jsx'

export default { title: 'Schedule/Reschedule', component: Reschedule }

export const Default = {
  args: {
    defaultDate: '2026-12-08',
    onPreview: async () => ({ diff: [{ course: 'Math 5', from: 'tue 09:00', to: 'thu 10:00' }] }),
    onApply: async () => ({}),
  },
}
