import { describe, expect, it } from 'vitest'
import * as S from './steps.js'

describe('wizard steps', () => {
  it('turn form values into the API bodies', () => {
    expect(
      S.students.toBody({
        name: ' Ada ',
        birth_date: '2018-04-01',
        grade: '2',
        hours: '',
        daily_cap: '180',
      }),
    ).toEqual({
      name: 'Ada',
      birth_date: '2018-04-01',
      grade: '2',
      hours: undefined,
      daily_cap: 180,
    })
    const c = S.courses([], []).toBody({
      name: 'Math',
      subject: 'math',
      core: true,
      lesson_minutes: '45',
      sessions_per_week: '5',
      teacher: '',
      grouped: false,
      preferred: '',
      students: ['a'],
    })
    expect(c).toMatchObject({
      lesson_minutes: 45,
      sessions_per_week: 5,
      teacher: null,
      students: ['a'],
    })
  })
})
