// Answers shaped like the real server's (captured from `brightpath demo`).
export const FID = 'fam1'

export const session = (over = {}) => ({
  id: 's1',
  date: '2026-12-07',
  start: '09:00',
  end: '09:45',
  course: 'Math 5',
  subject: 'math',
  lesson: 'Long division, part 9',
  lesson_seq: 81,
  students: ['Ben'],
  student_ids: ['ben'],
  teacher: 'Maria',
  status: 'planned',
  pinned: false,
  version: 3,
  minutes: 45,
  actual_minutes: null,
  engagement: null,
  difficulty: null,
  grade: null,
  note: null,
  ...over,
})

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((weekday, i) => ({
  date: `2026-12-${String(7 + i).padStart(2, '0')}`,
  weekday,
  school_day: i < 5,
  off: null,
}))

export const week = (over = {}) => ({
  family: 'Rivera Family',
  week_start: '2026-12-07',
  days,
  students: [
    { id: 'ada', name: 'Ada' },
    { id: 'ben', name: 'Ben' },
  ],
  guardians: [{ id: 'maria', name: 'Maria' }],
  sessions: [
    session(),
    session({
      id: 's2',
      start: '10:00',
      end: '10:20',
      course: 'Phonics 1',
      subject: 'reading',
      students: ['Ada'],
      student_ids: ['ada'],
      minutes: 20,
      version: 1,
    }),
  ],
  events: [
    {
      date: '2026-12-09',
      start: '09:00',
      end: '12:00',
      name: 'Co-op morning',
      away: true,
      students: ['Ada', 'Ben'],
      student_ids: ['ada', 'ben'],
      guardians: ['Maria'],
      guardian_ids: ['maria'],
    },
  ],
  planned: true,
  score: { total: 120, unscheduled: 100, preferred: 20 },
  unscheduled: [
    { course: 'Piano practice', students: ['Ben'], missing: 1, reason: 'only 4 allowed day(s)' },
  ],
  plan_version: 2,
  ...over,
})

export const family = { id: FID, name: 'Rivera Family', time_zone: 'America/Chicago', version: 1 }

export const me = {
  actor: 'maria@example.org',
  session_expires_at: '2026-12-19T20:00:00Z',
  signed_in_with: 'provider',
  families: [{ id: FID, name: 'Rivera Family', role: 'guardian' }],
  needs_onboarding: false,
}

export const pacing = [
  {
    student: 'Ben',
    course: 'Math 5',
    total: 180,
    done: 60,
    expected: 80,
    behind: 20,
    remaining: 120,
    projected_finish: '2027-06-20',
    year_end: '2027-05-28',
    on_track: false,
    suggestion: 'add one lesson a week',
  },
  {
    student: 'Ada',
    course: 'Phonics 1',
    total: 180,
    done: 80,
    expected: 80,
    behind: 0,
    remaining: 100,
    projected_finish: '2027-05-10',
    year_end: '2027-05-28',
    on_track: true,
    suggestion: null,
  },
]
