import { describe, expect, it } from 'vitest'
import { parseTimestamp, toNumber, validateCandidate } from '../../server/ingest/validate.ts'

const NOW = Date.UTC(2026, 10, 27, 5, 0, 0)

describe('reading validation', () => {
  it('accepts a number and stamps it with the receive time', () => {
    expect(validateCandidate({ metric: 'temperature', value: 21.5 }, NOW)).toEqual({ metric: 'temperature', value: 21.5, time: NOW })
  })

  it('accepts numeric strings, as firmware often quotes numbers', () => {
    expect(validateCandidate({ metric: 'co2', value: ' 415 ' }, NOW)).toEqual({ metric: 'co2', value: 415, time: NOW })
  })

  it.each([
    [{ metric: 'Temp', value: 1 }, 'INVALID_METRIC_NAME'],
    [{ metric: '1temp', value: 1 }, 'INVALID_METRIC_NAME'],
    [{ metric: 'a'.repeat(65), value: 1 }, 'INVALID_METRIC_NAME'],
    [{ metric: 'temp', value: 'warm' }, 'NOT_A_NUMBER'],
    [{ metric: 'temp', value: '12abc' }, 'NOT_A_NUMBER'],
    [{ metric: 'temp', value: null }, 'NOT_A_NUMBER'],
    [{ metric: 'temp', value: true }, 'NOT_A_NUMBER'],
    [{ metric: 'temp', value: { v: 1 } }, 'NOT_A_NUMBER'],
    [{ metric: 'temp', value: 'nan' }, 'NOT_FINITE'],
    [{ metric: 'temp', value: '-Infinity' }, 'NOT_FINITE'],
    [{ metric: 'humidity', value: 101 }, 'OUT_OF_RANGE'],
    [{ metric: 'temperature', value: -999 }, 'OUT_OF_RANGE'],
    [{ metric: 'temp', value: 1, ts: 'soon' }, 'INVALID_TIMESTAMP'],
    [{ metric: 'temp', value: 1, ts: NOW + 86_400_001 }, 'TIMESTAMP_IN_FUTURE'],
    [{ metric: 'temp', value: 1, ts: 1_700_000_000 }, 'TIMESTAMP_TOO_OLD']
  ])('refuses %j with %s', (candidate, code) => {
    expect(validateCandidate(candidate, NOW)).toEqual({ code, message: expect.any(String) })
  })

  it('keeps custom metrics that have a valid name', () => {
    expect(validateCandidate({ metric: 'fryer_oil_temp_2', value: 180 }, NOW)).toEqual({ metric: 'fryer_oil_temp_2', value: 180, time: NOW })
  })

  it('reads epoch ms, numeric strings and ISO 8601 timestamps', () => {
    expect(parseTimestamp(NOW - 5, NOW)).toBe(NOW - 5)
    expect(parseTimestamp(String(NOW - 5), NOW)).toBe(NOW - 5)
    expect(parseTimestamp('2026-11-27T14:00:00+09:00', NOW)).toBe(NOW)
    expect(parseTimestamp('2026-11-27T05:00:00.250Z', NOW)).toBe(NOW + 250)
    expect(parseTimestamp(NOW + 86_400_000, NOW)).toBe(NOW + 86_400_000)
  })

  it('parses only plain numbers', () => {
    expect([toNumber('1e3'), toNumber('-.5'), toNumber('0x10'), toNumber(''), toNumber('1,5')]).toEqual([1000, -0.5, undefined, undefined, undefined])
  })
})
