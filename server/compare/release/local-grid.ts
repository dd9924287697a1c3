// The fixed release grid (issue 13): 1 h, 1 d and 1 w buckets, days and weeks cut at local
// midnight and Monday in the community's time zone (TSUDOI_TIMEZONE), not at UTC midnight.
// Hours stay aligned to the epoch — the store's hourly rollups are — so a zone whose offset
// from UTC is not a whole number of hours is refused (validTimeZone).

export const GRID_SIZES = ['1h', '1d', '1w'] as const
export type GridSize = typeof GRID_SIZES[number]

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Nominal length, for the `bucket` field of responses and for window limits. */
export const GRID_MS: Record<GridSize, number> = { '1h': HOUR, '1d': DAY, '1w': 7 * DAY }

export function gridSizeOf (ms: number): GridSize | undefined {
  return GRID_SIZES.find((size) => GRID_MS[size] === ms)
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter (timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'
    })
    formatters.set(timeZone, format)
  }
  return format
}

interface LocalParts { year: number, month: number, day: number, hour: number, minute: number, second: number }

function localParts (time: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {}
  for (const { type, value } of formatter(timeZone).formatToParts(time)) {
    if (type !== 'literal') parts[type] = Number(value)
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! }
}

/** Local time minus UTC at an instant, ms. */
export function offsetAt (time: number, timeZone: string): number {
  const p = localParts(time, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - (time - (((time % 1000) + 1000) % 1000))
}

/** The instant of local midnight starting the local date y-m-d (days past a month's end roll over). */
function localMidnight (year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day)
  // Two rounds settle the offset across a DST change; a midnight that does not exist (a
  // zone that springs forward at 00:00) lands on the first instant of that day.
  let guess = wall - offsetAt(wall, timeZone)
  guess = wall - offsetAt(guess, timeZone)
  return guess
}

/** The start of the bucket of `size` holding `time`. */
export function bucketStart (time: number, size: GridSize, timeZone: string): number {
  if (size === '1h') return Math.floor(time / HOUR) * HOUR
  const p = localParts(time, timeZone)
  if (size === '1d') return localMidnight(p.year, p.month, p.day, timeZone)
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() // 0 = Sunday
  return localMidnight(p.year, p.month, p.day - ((weekday + 6) % 7), timeZone)
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket (start: number, size: GridSize, timeZone: string): number {
  if (size === '1h') return start + HOUR
  const p = localParts(start, timeZone)
  return localMidnight(p.year, p.month, p.day + (size === '1d' ? 1 : 7), timeZone)
}

/** Starts of the buckets that overlap [from, to), oldest first. */
export function bucketsIn (from: number, to: number, size: GridSize, timeZone: string, max = Number.POSITIVE_INFINITY): number[] {
  const starts: number[] = []
  for (let start = bucketStart(from, size, timeZone); start < to && starts.length < max; start = nextBucket(start, size, timeZone)) starts.push(start)
  return starts
}

/**
 * Whether the hub can cut days in this zone: a name Intl knows, whose offset from UTC is a
 * whole number of hours through the year (Asia/Kolkata's +5:30 is not: its midnight falls
 * inside an hourly rollup bucket).
 */
export function validTimeZone (timeZone: string): true | string {
  try {
    formatter(timeZone)
  } catch {
    return `unknown time zone "${timeZone}" (an IANA name such as Asia/Tokyo)`
  }
  const year = new Date().getUTCFullYear()
  for (let month = 0; month < 12; month++) {
    if (offsetAt(Date.UTC(year, month, 1), timeZone) % HOUR !== 0) {
      return `"${timeZone}" is not a whole number of hours from UTC: days could not be cut from hourly buckets`
    }
  }
  return true
}
