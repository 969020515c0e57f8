// Reading an import report's changes: the kinds in a steady order, their
// labels, and the counts as words.

const ORDER = [
  'families',
  'guardians',
  'students',
  'events',
  'users',
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'enrollments',
  'class_meetings',
  'family_time_zones',
]

const LABELS = {
  users: 'Users',
  families: 'Families',
  guardians: 'Guardians',
  students: 'Children',
  classes: 'Classes',
  enrollments: 'Enrollments',
  // A fixed event in a family's week, one per family and class meeting.
  events: 'Family class events',
  orgs: 'Organizations',
  academicSessions: 'Terms',
  courses: 'Courses',
  class_meetings: 'Meeting times',
  family_time_zones: 'Family time zones',
}

/** A kind's name for people ("students" → "Children"). */
export const kindLabel = (kind) => {
  if (LABELS[kind]) return LABELS[kind]
  const words = kind
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The report's kinds, known ones first in a steady order.
 * @param {Record<string, {created: number, updated: number, unchanged: number, removed: number}>} changes
 * @returns {Array<[string, {created: number, updated: number, unchanged: number, removed: number, examples: {created: string[], updated: string[], removed: string[]}}]>}
 */
export function kinds(changes) {
  const rank = (k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length)
  return Object.entries(changes).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
}

const n = (x) => x.toLocaleString('en-US')

/** "120 created, 3 updated, 2 removed" (only what changes), or "" when nothing does. */
export function changeWords(d) {
  return [
    d.created && `${n(d.created)} created`,
    d.updated && `${n(d.updated)} updated`,
    d.removed && `${n(d.removed)} removed`,
  ]
    .filter(Boolean)
    .join(', ')
}

/** Each kind that changes, as [label, words]. */
export function changeLines(changes) {
  return kinds(changes)
    .map(([k, d]) => [kindLabel(k), changeWords(d)])
    .filter(([, words]) => words)
}

export { n as count }
