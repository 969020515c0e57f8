import { Insights } from './Insights.jsx'

export default { title: 'Feedback/Insights', component: Insights }

const learned = {
  lengths: { reason: 'beats the running mean by 9 % on the held-out weeks' },
  suggestions: ['Ben: Math 5 runs 52 min on average (± 0.4, 68 lessons), planned 45: plan 50?'],
  course_lengths: [
    { child: 'Ben', course: 'Math 5', n: 68, planned: 45, learned_minutes: 51.8 },
    { child: 'Ada', course: 'Math 1', n: 60, planned: 30, learned_minutes: 30.2 },
  ],
}

export const Default = { args: { insights: learned } }
export const TooLittleFeedback = {
  args: {
    insights: {
      lengths: { reason: 'too little feedback to learn from (fewer than two weeks)' },
      suggestions: [],
      course_lengths: [],
    },
  },
}
