// What each wizard step asks for, and how its answers become the API's body.
const num = (v) => (v === '' || v === undefined ? undefined : Number(v))
const text = (v) => (v === '' ? undefined : v)
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({
  value: d,
  label: d,
}))

export const guardians = {
  resource: 'guardians',
  title: 'Guardians and teaching hours',
  fields: [
    { name: 'name', label: 'Name', required: true },
    { name: 'email', label: 'E-mail', type: 'email', hint: 'They sign in with this address' },
    { name: 'hours', label: 'Teaching hours', placeholder: 'mon-fri 08:00-15:00' },
  ],
  toBody: (v) => ({ name: v.name.trim(), email: text(v.email), hours: text(v.hours) }),
  summary: (g) => [g.name, g.email].filter(Boolean).join(' · '),
}

export const students = {
  resource: 'students',
  title: 'Children',
  fields: [
    { name: 'name', label: 'Name', required: true },
    { name: 'birth_date', label: 'Birth date', type: 'date' },
    { name: 'grade', label: 'Grade', placeholder: '3' },
    { name: 'hours', label: 'School hours', placeholder: 'mon-fri 08:30-14:30' },
    { name: 'daily_cap', label: 'Daily cap (minutes)', type: 'number' },
  ],
  toBody: (v) => ({
    name: v.name.trim(),
    birth_date: text(v.birth_date),
    grade: text(v.grade),
    hours: text(v.hours),
    daily_cap: num(v.daily_cap),
  }),
  summary: (s) =>
    [s.name, s.grade !== undefined && s.grade !== null ? `grade ${s.grade}` : '']
      .filter(Boolean)
      .join(', '),
}

export const years = {
  resource: 'years',
  title: 'School year and targets',
  fields: [
    { name: 'name', label: 'Name', required: true, placeholder: '2026-27' },
    { name: 'start', label: 'Starts', type: 'date', required: true },
    { name: 'end', label: 'Ends', type: 'date', required: true },
    {
      name: 'weekdays',
      label: 'School days',
      type: 'checks',
      options: WEEKDAYS,
      initial: ['mon', 'tue', 'wed', 'thu', 'fri'],
    },
    { name: 'target_days', label: 'Target days', type: 'number' },
    { name: 'target_hours', label: 'Target hours', type: 'number' },
    { name: 'target_core_hours', label: 'Target core hours', type: 'number' },
  ],
  toBody: (v) => ({
    name: v.name.trim(),
    start: v.start,
    end: v.end,
    weekdays: v.weekdays,
    target_days: num(v.target_days),
    target_hours: num(v.target_hours),
    target_core_hours: num(v.target_core_hours),
  }),
  summary: (y) => `${y.name} (${y.start ?? ''} – ${y.end ?? ''})`,
}

export const breaks = {
  resource: 'breaks',
  title: 'Breaks',
  fields: [
    { name: 'name', label: 'Break', required: true, placeholder: 'Winter break' },
    { name: 'start', label: 'From', type: 'date', required: true },
    { name: 'end', label: 'To', type: 'date', required: true },
  ],
  toBody: (v) => ({ name: v.name.trim(), start: v.start, end: v.end }),
  summary: (b) => `${b.name} (${b.start ?? ''} – ${b.end ?? ''})`,
}

/** @param {{value: string, label: string}[]} kids @param {{value: string, label: string}[]} teachers */
export const courses = (kids, teachers) => ({
  resource: 'courses',
  title: 'Courses',
  fields: [
    { name: 'name', label: 'Course', required: true },
    { name: 'subject', label: 'Subject', required: true, placeholder: 'math' },
    {
      name: 'lesson_minutes',
      label: 'Minutes a lesson',
      type: 'number',
      required: true,
      initial: '30',
    },
    {
      name: 'sessions_per_week',
      label: 'Lessons a week',
      type: 'number',
      required: true,
      initial: '5',
    },
    {
      name: 'teacher',
      label: 'Taught by',
      options: [{ value: '', label: 'Independent' }, ...teachers],
    },
    { name: 'preferred', label: 'Preferred time', placeholder: '09:00-11:00' },
    { name: 'students', label: 'Children', type: 'checks', options: kids },
    { name: 'core', label: 'Core subject', type: 'checkbox', initial: true },
    { name: 'grouped', label: 'Taught as a group', type: 'checkbox' },
  ],
  toBody: (v) => ({
    name: v.name.trim(),
    subject: v.subject.trim(),
    core: v.core,
    lesson_minutes: num(v.lesson_minutes),
    sessions_per_week: num(v.sessions_per_week),
    teacher: v.teacher || null,
    grouped: v.grouped,
    preferred: text(v.preferred),
    students: v.students,
  }),
  summary: (c) => `${c.name}${c.subject ? ` (${c.subject})` : ''}`,
})

/** @param {{value: string, label: string}[]} kids @param {{value: string, label: string}[]} adults */
export const events = (kids, adults) => ({
  resource: 'events',
  title: 'Fixed events',
  fields: [
    { name: 'name', label: 'Event', required: true, placeholder: 'Co-op morning' },
    { name: 'day', label: 'Every', options: [{ value: '', label: '—' }, ...WEEKDAYS] },
    { name: 'date', label: 'Or once on', type: 'date' },
    { name: 'start', label: 'Start', type: 'time', required: true },
    { name: 'end', label: 'End', type: 'time', required: true },
    {
      name: 'school',
      label: 'Counts as school',
      options: [
        { value: 'no', label: 'No' },
        { value: 'core', label: 'Core' },
        { value: 'elective', label: 'Elective' },
      ],
      initial: 'no',
    },
    { name: 'students', label: 'Children', type: 'checks', options: kids },
    { name: 'guardians', label: 'Guardians', type: 'checks', options: adults },
    { name: 'away', label: 'Away from home', type: 'checkbox' },
  ],
  toBody: (v) => ({
    name: v.name.trim(),
    day: text(v.day),
    date: text(v.date),
    start: v.start,
    end: v.end,
    away: v.away,
    school: v.school,
    students: v.students,
    guardians: v.guardians,
  }),
  summary: (e) => `${e.name} ${e.start ?? ''}–${e.end ?? ''}`,
})
