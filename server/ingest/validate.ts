import type { ErrorCode } from '../errors.ts'
import { METRIC_NAME, metricSpec } from '../domain/metric-catalog.ts'

/** What a format decoder found in a payload, before the hub's common checks. */
export interface Candidate {
  metric: string
  value: unknown
  /** The payload's own timestamp, if it gave one (epoch ms, epoch s, or ISO 8601). */
  ts?: unknown
}

export interface Accepted { metric: string, value: number, time: number }
export interface Refusal { code: ErrorCode, message: string }

const YEAR_2000 = Date.UTC(2000, 0, 1)
const ONE_DAY = 86_400_000

/** Turns a payload timestamp into epoch ms, or says why it cannot be one. */
export function parseTimestamp (ts: unknown, now: number): number | Refusal {
  let time: number
  if (typeof ts === 'number') {
    time = ts
  } else if (typeof ts === 'string' && ts.trim() !== '') {
    // A numeric string is epoch ms (firmware often quotes numbers); anything else must be ISO 8601.
    time = /^\d+(\.\d+)?$/.test(ts) ? Number(ts) : isoToEpoch(ts)
  } else {
    return { code: 'INVALID_TIMESTAMP', message: `ts ${describeValue(ts)} is neither epoch ms nor ISO 8601` }
  }
  if (!Number.isFinite(time)) return { code: 'INVALID_TIMESTAMP', message: `ts ${describeValue(ts)} is neither epoch ms nor ISO 8601` }
  // Echo the device's own value, never `new Date(time).toISOString()`: past ±8.64e15 ms that
  // throws a RangeError, and `{"ts": 1e20}` once stopped the whole hub with it (issue 12, item 1).
  if (time > now + ONE_DAY) return { code: 'TIMESTAMP_IN_FUTURE', message: `ts ${describeValue(ts)} is more than one day ahead of the hub's clock` }
  if (time < YEAR_2000) return { code: 'TIMESTAMP_TOO_OLD', message: `ts ${describeValue(ts)} is before 2000-01-01 (seconds instead of milliseconds?)` }
  return Math.round(time)
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function isoToEpoch (text: string): number {
  return ISO_8601.test(text) ? Date.parse(text) : Number.NaN
}

/** Applies the checks every reading must pass, whatever format it came in. */
export function validateCandidate (candidate: Candidate, now: number): Accepted | Refusal {
  const { metric, value } = candidate
  if (!METRIC_NAME.test(metric)) {
    return { code: 'INVALID_METRIC_NAME', message: `metric ${describeValue(metric)} must match [a-z][a-z0-9_]{0,63}` }
  }
  const number = toNumber(value)
  if (number === undefined) return { code: 'NOT_A_NUMBER', message: `${metric}: ${describeValue(value)} is not a number` }
  if (!Number.isFinite(number)) return { code: 'NOT_FINITE', message: `${metric}: value is not finite` }
  const spec = metricSpec(metric)
  if (number < spec.min || number > spec.max) {
    return { code: 'OUT_OF_RANGE', message: `${metric}: ${number} is outside ${spec.min}…${spec.max} ${spec.unit}`.trim() }
  }
  let time = now
  if (candidate.ts !== undefined) {
    const parsed = parseTimestamp(candidate.ts, now)
    if (typeof parsed !== 'number') return parsed
    time = parsed
  }
  // -0 is a valid JSON number but not a distinct reading: stored and compared as 0.
  return { metric, value: number === 0 ? 0 : number, time }
}

const DESCRIBED_LENGTH = 80

/**
 * A short text for a payload value in a refusal message, without recursion: JSON.stringify of
 * a 30,000-deep array (a 60 kB payload) overflows the stack, and a RangeError out of the
 * decoder is what must never happen. Strings and numbers are quoted as JSON; containers are
 * named, not printed.
 */
export function describeValue (value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value.length > DESCRIBED_LENGTH ? value.slice(0, DESCRIBED_LENGTH) : value)
    return value.length > DESCRIBED_LENGTH ? `${quoted.slice(0, -1)}…"` : quoted
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (value === null || typeof value === 'boolean' || value === undefined) return String(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  return typeof value === 'object' ? 'an object' : typeof value
}

/** Numbers, and strings that are plainly one number ("21.5", "nan"); never booleans, nulls or "12abc". */
export function toNumber (value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text)
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) return Number.NaN
  return undefined
}

export function isRefusal (result: Accepted | Refusal | number): result is Refusal {
  return typeof result === 'object' && 'code' in result
}
