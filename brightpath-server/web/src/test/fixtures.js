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

// ---- co-op roster imports (the contract of POST/GET …/coops/{coop}/imports and GET /jobs/{id}) ----
export const CID = 'coop1'
export const coop = { id: CID, name: 'Big Co-op', time_zone: 'America/Chicago' }

const diff = (created, updated, unchanged, removed, prefix) => ({
  created,
  updated,
  unchanged,
  removed,
  examples: {
    created: Array.from({ length: Math.min(created, 20) }, (_, i) => `${prefix}-new-${i + 1}`),
    updated: Array.from({ length: Math.min(updated, 20) }, (_, i) => `${prefix}-upd-${i + 1}`),
    removed: Array.from({ length: Math.min(removed, 20) }, (_, i) => `${prefix}-old-${i + 1}`),
  },
})

/** A roster report as the job's result: a dry run that would change things. */
export const importReport = (over = {}) => ({
  coop: 'Big Co-op',
  dry_run: true,
  version: '1.2',
  refused: false,
  changed: true,
  changes: {
    users: diff(120, 3, 4000, 2, 'u'),
    classes: diff(4, 0, 30, 0, 'c'),
    enrollments: diff(0, 0, 900, 0, 'e'),
    families: diff(2, 1, 300, 0, 'f'),
    guardians: diff(3, 0, 500, 0, 'g'),
    students: diff(5, 1, 700, 1, 's'),
    events: diff(0, 0, 40, 0, 'ev'),
  },
  problems: [],
  problems_total: 0,
  warnings: [
    {
      file: 'users.csv',
      line: 40,
      column: 'phone',
      message: 'the phone number is not in international form',
      fix: 'write it as +1 555 0100, or leave it empty',
    },
  ],
  warnings_total: 1,
  replanned: [],
  ...over,
})

/** A dry run refused for bad rows: nothing written. */
export const refusedReport = () =>
  importReport({
    refused: true,
    changed: false,
    changes: {},
    problems: [
      {
        file: 'users.csv',
        line: 14,
        column: 'email',
        message: 'email "ana@" is not an e-mail address',
        fix: 'write a whole address, e.g. ana@example.org',
      },
      {
        file: 'enrollments.csv',
        line: 3,
        column: 'classSourcedId',
        message: 'class "math-9" is not in classes.csv',
        fix: 'add the class to classes.csv, or remove this enrollment',
      },
      {
        file: 'manifest.csv',
        line: 0,
        column: null,
        message: 'manifest.csv is missing',
        fix: 'export the whole OneRoster set, manifest.csv included',
      },
    ],
    problems_total: 3,
    warnings: [],
    warnings_total: 0,
  })

/** The same file applied: the report of the apply job. */
export const appliedReport = () =>
  importReport({
    dry_run: false,
    replanned: [
      { family: 'Rivera', week: '2026-12-07', error: null },
      { family: 'Okafor', week: '2026-12-07', error: 'no school year covers 2026-12-07' },
    ],
  })

export const job = (over = {}) => ({
  id: 'job1',
  kind: 'roster.import',
  status: 'succeeded',
  attempts: 1,
  created_at: '2026-12-05T23:00:00Z',
  finished_at: '2026-12-05T23:00:02Z',
  error: null,
  result: importReport(),
  ...over,
})

export const imports = [
  {
    id: 'imp2',
    file_name: 'roster-december.zip',
    bytes: 482113,
    uploaded_at: '2026-12-05T23:00:00Z',
    uploaded_by: 'dana@example.org',
    applied_at: null,
  },
  {
    id: 'imp1',
    file_name: 'roster-november.zip',
    bytes: 470001,
    uploaded_at: '2026-11-02T15:00:00Z',
    uploaded_by: 'dana@example.org',
    applied_at: '2026-11-02T15:03:00Z',
  },
]

// ---- the co-op's roster and classes (GET …/coops/{coop}/families and …/classes) ----
export const rosterFamilies = [
  {
    id: 'fam-okafor',
    name: 'Okafor',
    guardians: ['Ngozi Okafor'],
    students: ['Chidi Okafor', 'Ada Okafor'],
  },
  {
    id: 'fam-rivera',
    name: 'Rivera',
    guardians: ['Maria Rivera', 'Luis Rivera'],
    students: ['Ada Rivera', 'Ben Rivera'],
  },
]

export const coopClasses = [
  {
    sourced_id: 'cls-art-a',
    title: 'Art Studio',
    course: 'Art',
    meetings: [{ day: 'fri', start: '13:00', end: '14:00', place: 'Room 4' }],
    teachers: ['Ngozi Okafor'],
    students: [
      { name: 'Chidi Okafor', family: 'Okafor' },
      { name: 'Ben Rivera', family: 'Rivera' },
    ],
  },
  {
    sourced_id: 'cls-science-a',
    title: 'Hands-on Science',
    course: 'Science',
    meetings: [
      { day: 'wed', start: '09:00', end: '10:30', place: 'Fellowship Hall' },
      { day: 'fri', start: '09:00', end: '10:00', place: null },
    ],
    teachers: ['Maria Rivera'],
    students: [
      { name: 'Ada Rivera', family: 'Rivera' },
      { name: 'June Park', family: null },
    ],
  },
]

/** `n` classes (for paging and the "show more" of a big co-op). */
export const manyClasses = (n, from = 0) =>
  Array.from({ length: n }, (_, i) => {
    const k = String(from + i + 1).padStart(5, '0')
    return {
      sourced_id: `cls-${k}`,
      title: `Class ${k}`,
      course: null,
      meetings: [],
      teachers: [],
      students: [{ name: `Child ${k}`, family: `Family ${k}` }],
    }
  })
