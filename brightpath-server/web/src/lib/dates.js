// Plain date helpers on ISO strings (YYYY-MM-DD, HH:MM): the server's
// shapes. No time zone maths here: the server owns "today" per family.

/** @param {string} d @param {number} n */
export function addDays(d, n) {
  const t = new Date(`${d}T12:00:00Z`)
  t.setUTCDate(t.getUTCDate() + n)
  return t.toISOString().slice(0, 10)
}

/** @param {string} hhmm @param {number} minutes */
export function addMinutes(hhmm, minutes) {
  const [h, m] = hhmm.split(':').map(Number)
  const total = Math.max(0, Math.min(23 * 60 + 59, h * 60 + m + minutes))
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

/** Today in a time zone (the family's), as YYYY-MM-DD. */
export function todayIn(timeZone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date())
  } catch {
    return new Date().toISOString().slice(0, 10)
  }
}

/** "Mon 7 Dec" */
export function dayLabel(d) {
  return new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })
}
