import { SkipForm } from './SkipForm.jsx'

export default { title: 'Feedback/SkipForm', component: SkipForm }

export const Default = { args: { course: 'Math 5', onSubmit: () => {} } }
