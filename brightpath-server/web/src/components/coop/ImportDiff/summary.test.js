import { describe, expect, it } from 'vitest'
import { changeWords, kindLabel, kinds } from './summary.js'

describe('an import report in words', () => {
  it('names every kind the server reports for people, not as file names', () => {
    expect(kindLabel('students')).toBe('Children')
    expect(kindLabel('events')).toBe('Family class events')
    expect(kindLabel('class_meetings')).toBe('Meeting times')
    expect(kindLabel('academicSessions')).toBe('Terms')
    // One the page does not know yet still reads as words.
    expect(kindLabel('lineItems')).toBe('Line items')
    expect(kindLabel('some_new_file')).toBe('Some new file')
  })

  it('puts what families see first, and unknown kinds last by name', () => {
    const d = { created: 0, updated: 0, unchanged: 0, removed: 0 }
    const order = kinds({ zeta: d, users: d, families: d, alpha: d, events: d }).map(([k]) => k)
    expect(order).toEqual(['families', 'events', 'users', 'alpha', 'zeta'])
  })

  it('says only what changes', () => {
    expect(changeWords({ created: 1200, updated: 0, removed: 2 })).toBe('1,200 created, 2 removed')
    expect(changeWords({ created: 0, updated: 0, removed: 0 })).toBe('')
  })
})
