import { describe, expect, it } from 'vitest'
import { bucketStart, bucketsIn, nextBucket, offsetAt, validTimeZone } from '../../../server/compare/release/local-grid.ts'

const HOUR = 3_600_000

describe('the release grid in the community time zone', () => {
  it('cuts a Tokyo day at local midnight (15:00 UTC the day before), not at UTC midnight', () => {
    const noonTokyo = Date.parse('2026-03-10T03:00:00Z') // 12:00 in Tokyo
    expect(new Date(bucketStart(noonTokyo, '1d', 'Asia/Tokyo')).toISOString()).toBe('2026-03-09T15:00:00.000Z')
    // 08:00 UTC on the 10th is 17:00 in Tokyo, still the 10th; 16:00 UTC is already the 11th there.
    expect(new Date(bucketStart(Date.parse('2026-03-10T16:00:00Z'), '1d', 'Asia/Tokyo')).toISOString()).toBe('2026-03-10T15:00:00.000Z')
  })

  it('starts a week on local Monday', () => {
    // 2026-03-15 is a Sunday; in Tokyo its week began on Monday the 9th at 00:00 local.
    expect(new Date(bucketStart(Date.parse('2026-03-15T10:00:00Z'), '1w', 'Asia/Tokyo')).toISOString()).toBe('2026-03-08T15:00:00.000Z')
    expect(new Date(bucketStart(Date.parse('2026-03-15T16:00:00Z'), '1w', 'Asia/Tokyo')).toISOString()).toBe('2026-03-15T15:00:00.000Z')
  })

  it('gives a day of 23 hours and one of 25 across daylight saving changes', () => {
    const spring = bucketStart(Date.parse('2026-03-29T12:00:00Z'), '1d', 'Europe/Berlin')
    expect(nextBucket(spring, '1d', 'Europe/Berlin') - spring).toBe(23 * HOUR)
    const autumn = bucketStart(Date.parse('2026-10-25T12:00:00Z'), '1d', 'Europe/Berlin')
    expect(nextBucket(autumn, '1d', 'Europe/Berlin') - autumn).toBe(25 * HOUR)
    expect(offsetAt(Date.parse('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR)
  })

  it('lists whole buckets overlapping a window, hours aligned to the epoch', () => {
    const from = Date.parse('2026-03-10T03:30:00Z')
    expect(bucketsIn(from, from + 2 * HOUR, '1h', 'Asia/Tokyo').map((t) => new Date(t).toISOString()))
      .toEqual(['2026-03-10T03:00:00.000Z', '2026-03-10T04:00:00.000Z', '2026-03-10T05:00:00.000Z'])
    expect(bucketsIn(from, from + 2 * 86_400_000, '1d', 'Asia/Tokyo').map((t) => new Date(t).toISOString()))
      .toEqual(['2026-03-09T15:00:00.000Z', '2026-03-10T15:00:00.000Z', '2026-03-11T15:00:00.000Z'])
  })

  it('accepts IANA zones with whole-hour offsets only', () => {
    expect(validTimeZone('Asia/Tokyo')).toBe(true)
    expect(validTimeZone('UTC')).toBe(true)
    expect(validTimeZone('Europe/Berlin')).toBe(true)
    expect(validTimeZone('Mars/Olympus')).toMatch(/unknown time zone/)
    expect(validTimeZone('Asia/Kolkata')).toMatch(/whole number of hours/)
  })
})
