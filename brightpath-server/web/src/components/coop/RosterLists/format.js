// Plain text for the roster's lists: meeting times, counts and what a filter
// looks through.

const DAYS = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' }

const number = new Intl.NumberFormat('en-US')

/** 2000 → "2,000". */
export const formatNumber = (n) => number.format(n)

/**
 * "2,000 classes", "1 class", "No classes".
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
export function count(n, one, many = `${one}s`) {
  if (n === 0) return `No ${many}`
  return `${formatNumber(n)} ${n === 1 ? one : many}`
}

/**
 * One meeting as people read it: "Wed 09:00–10:30, Fellowship Hall".
 * @param {{day: string, start: string, end: string, place?: string|null}} m
 */
export function meetingText(m) {
  const day = DAYS[m.day?.toLowerCase()] ?? m.day
  const time = `${day} ${m.start.slice(0, 5)}–${m.end.slice(0, 5)}`
  return m.place ? `${time}, ${m.place}` : time
}

/** What the class filter looks through: title, course, teachers, children and their families. */
export const classText = (c) =>
  [c.title, c.course ?? '', ...c.teachers, ...c.students.flatMap((s) => [s.name, s.family ?? ''])]
    .join('\n')
    .toLowerCase()

/** What the family filter looks through: the family, its guardians and children. */
export const familyText = (f) => [f.name, ...f.guardians, ...f.students].join('\n').toLowerCase()
