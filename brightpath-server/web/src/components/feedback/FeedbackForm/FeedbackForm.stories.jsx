import { FeedbackForm } from './FeedbackForm.jsx'

export default { title: 'Feedback/FeedbackForm', component: FeedbackForm }

export const Done = { args: { course: 'Math 5', plannedMinutes: 45, onSubmit: () => {} } }
export const Partly = {
  args: { course: 'Math 5', plannedMinutes: 45, partial: true, onSubmit: () => {} },
}
export const GroupLesson = {
  args: {
    course: 'Nature Science',
    plannedMinutes: 40,
    students: ['Ada', 'Ben'],
    onSubmit: () => {},
  },
}
export const WithError = {
  args: {
    course: 'Math 5',
    plannedMinutes: 45,
    onSubmit: () => {},
    errors: { engagement: 'engagement must be 1 to 5' },
  },
}
