import { describe, expect, it } from 'vitest'
import { jst, localTime } from '../../device-sim/calendar.ts'
import { isJapaneseHoliday } from '../../device-sim/holidays.ts'

// The Cabinet Office's published lists (内閣府「国民の祝日について」), substitute and citizens' holidays included.
const OFFICIAL: Record<number, string[]> = {
  2025: ['1-1', '1-13', '2-11', '2-23', '2-24', '3-20', '4-29', '5-3', '5-4', '5-5', '5-6', '7-21', '8-11', '9-15', '9-23', '10-13', '11-3', '11-23', '11-24'],
  2026: ['1-1', '1-12', '2-11', '2-23', '3-20', '4-29', '5-3', '5-4', '5-5', '5-6', '7-20', '8-11', '9-21', '9-22', '9-23', '10-12', '11-3', '11-23'],
  2027: ['1-1', '1-11', '2-11', '2-23', '3-21', '3-22', '4-29', '5-3', '5-4', '5-5', '7-19', '8-11', '9-20', '9-23', '10-11', '11-3', '11-23']
}

function holidaysOf (year: number): string[] {
  const out: string[] = []
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const d = new Date(t)
    if (isJapaneseHoliday(year, d.getUTCMonth() + 1, d.getUTCDate())) out.push(`${d.getUTCMonth() + 1}-${d.getUTCDate()}`)
  }
  return out
}

describe('Japanese national holidays', () => {
  it.each(Object.keys(OFFICIAL).map(Number))('match the official list for %i', (year) => {
    expect(holidaysOf(year)).toEqual(OFFICIAL[year])
  })
})

describe('local time in Japan', () => {
  it('is UTC+9 all year (no daylight saving time)', () => {
    const t = jst(2026, 7, 1, 8, 30)
    expect(new Date(t).toISOString()).toBe('2026-06-30T23:30:00.000Z')
    expect(localTime(t)).toMatchObject({ year: 2026, month: 7, day: 1, hour: 8.5, weekday: 3, kind: 'workday' })
    expect(localTime(jst(2026, 1, 1, 0, 0)).dayOfYear).toBe(1)
    expect(localTime(jst(2026, 12, 31, 23, 59)).dayOfYear).toBe(365)
  })

  it('tells workdays, Saturdays, Sundays, holidays and the New Year break apart', () => {
    expect(localTime(jst(2026, 11, 27, 12)).kind).toBe('workday') // Friday
    expect(localTime(jst(2026, 11, 28, 12)).kind).toBe('saturday')
    expect(localTime(jst(2026, 11, 29, 12)).kind).toBe('holiday') // Sunday
    expect(localTime(jst(2026, 11, 23, 12)).kind).toBe('holiday') // 勤労感謝の日, a Monday
    expect(localTime(jst(2026, 9, 22, 12)).kind).toBe('holiday') // 国民の休日 between two holidays
    expect(localTime(jst(2026, 12, 31, 12)).kind).toBe('holiday') // 年末年始
    expect(localTime(jst(2027, 1, 4, 12)).kind).toBe('workday') // 仕事始め
  })
})
