import { isJapaneseHoliday } from './holidays.ts'

// Local time in Japan for the profiles. Japan has one time zone and no daylight saving
// time, so JST is always UTC+9 and a fixed offset is exact.
export const JST_OFFSET_MS = 9 * 3_600_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/**
 * How a day is lived: offices and factories close on `holiday`, restaurants and ryokan get
 * busier. Sundays, national holidays and 年末年始 (Dec 31–Jan 3, when most businesses in Japan
 * close although only Jan 1 is a national holiday) count as `holiday`.
 */
export type DayKind = 'workday' | 'saturday' | 'holiday'

export interface LocalTime {
  year: number
  month: number
  day: number
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
  /** Fractional hour of the day, 0 ≤ hour < 24. */
  hour: number
  /** 1 = January 1st. */
  dayOfYear: number
  /** Days since 1970-01-01 in JST: a key for things decided once a day. */
  dayNumber: number
  kind: DayKind
}

type CalendarDay = Omit<LocalTime, 'hour'>
// Profiles ask for the local time many times per reading (and the meters once per 15 min of
// history): the calendar part is computed once per day.
const days = new Map<number, CalendarDay>()

function calendarDay (dayNumber: number): CalendarDay {
  const known = days.get(dayNumber)
  if (known !== undefined) return known
  const date = new Date(dayNumber * DAY_MS)
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth() + 1
  const day = date.getUTCDate()
  const weekday = date.getUTCDay()
  const dayOfYear = Math.floor((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / DAY_MS) + 1
  const entry = { year, month, day, weekday, dayOfYear, dayNumber, kind: dayKind(year, month, day, weekday) }
  if (days.size > 10_000) days.clear()
  days.set(dayNumber, entry)
  return entry
}

export function localTime (time: number): LocalTime {
  const shifted = time + JST_OFFSET_MS
  const dayNumber = Math.floor(shifted / DAY_MS)
  return { ...calendarDay(dayNumber), hour: (shifted - dayNumber * DAY_MS) / HOUR_MS }
}

export function dayKind (year: number, month: number, day: number, weekday: number): DayKind {
  if (weekday === 0 || isJapaneseHoliday(year, month, day) || isYearEndBreak(month, day)) return 'holiday'
  return weekday === 6 ? 'saturday' : 'workday'
}

function isYearEndBreak (month: number, day: number): boolean {
  return (month === 12 && day === 31) || (month === 1 && day <= 3)
}

/** The kind of the day after `time` (a ryokan fills up on the night before a day off). */
export function nextDayKind (time: number): DayKind {
  return localTime(time + DAY_MS).kind
}

/** Epoch ms of a JST wall-clock time (for tests and for picking demo moments). */
export function jst (year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - JST_OFFSET_MS
}
