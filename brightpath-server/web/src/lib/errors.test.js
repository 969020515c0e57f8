import { describe as group, expect, it } from 'vitest'
import { ApiError, NetworkError } from '../api/client.js'
import { describe, fieldError } from './errors.js'

group('errors for people', () => {
  it('puts a problem on the field it names', () => {
    const tz = new ApiError(422, { detail: 'unknown time zone "Mars/Base"' })
    expect(fieldError(tz, 'time_zone')).toBe('unknown time zone "Mars/Base"')
    expect(fieldError(tz, 'name')).toBeUndefined()
    const named = new ApiError(422, { detail: 'x', field: 'daily_cap' })
    expect(fieldError(named, 'daily_cap')).toBe('x')
    expect(fieldError(named, 'time_zone')).toBeUndefined()
    expect(fieldError(new ApiError(422, { detail: 'name is empty' }), 'name')).toBe('name is empty')
    expect(
      fieldError(new ApiError(422, { detail: 'the family name is taken' }), 'name'),
    ).toBeUndefined()
  })

  it('says what happened, with the hint', () => {
    expect(describe(new ApiError(422, { detail: 'bad', hint: 'fix it' }))).toBe('bad (fix it)')
    expect(describe(new ApiError(412, { detail: 'stale' }))).toMatch(
      /Someone else changed this first/,
    )
    expect(describe(new NetworkError())).toMatch(/does not answer/)
  })
})
