import { Point } from '@influxdata/influxdb-client'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeTag } from '../../server/store/influx/escape.ts'
import { LineEncoder, TAG_CACHE_ENTRIES } from '../../server/store/influx/line.ts'
import type { Reading } from '../../server/domain/reading.ts'

// A LineEncoder must write exactly what the official client's Point writes for a reading (the
// escaping rules live in the client; the hub only stopped building a Point per reading).

function viaPoint (reading: Reading): string | undefined {
  return new Point('reading')
    .tag('member', encodeTag(reading.member)).tag('device', encodeTag(reading.device))
    .tag('sector', encodeTag(reading.sector)).tag('metric', encodeTag(reading.metric))
    .floatField('value', reading.value).timestamp(reading.time)
    .toLineProtocol({ convertTime: (time) => String(time) })
}

const name = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', ',', '=', 'a b,c=d', '\\', 'x\\', '\n', '\t\r', '%41', 'é', '温度', '🌡️'))

describe('LineEncoder', () => {
  const lineOf = new LineEncoder().line

  it('equals the client\'s Point line for any names, values and times', () => {
    fc.assert(fc.property(
      fc.record({ member: name, device: name, sector: name, metric: name, value: fc.double({ noNaN: true, noDefaultInfinity: true }), time: fc.integer({ min: 0, max: 4_102_444_800_000 }) }),
      (reading) => { expect(lineOf(reading)).toBe(viaPoint(reading)) }
    ), { numRuns: 2000 })
  })

  it('writes the usual reading as plain line protocol', () => {
    expect(lineOf({ member: 'ryokan-a', device: 'd1', sector: 'accommodation', metric: 'temperature', value: 21.5, time: 1_700_000_000_000 }))
      .toBe('reading,device=d1,member=ryokan-a,metric=temperature,sector=accommodation value=21.5 1700000000000')
  })

  it('refuses a value the client would refuse', () => {
    expect(() => lineOf({ member: 'm', device: 'd', sector: 's', metric: 'x', value: Number.NaN, time: 1 })).toThrow(/invalid float/)
  })

  it('keeps one writer\'s escaped names to itself: another\'s names neither fill nor evict them', () => {
    const a = new LineEncoder()
    const b = new LineEncoder()
    const reading = (device: string): Reading => ({ member: 'ryokan a', device, sector: 'accommodation', metric: 'temperature', value: 21.5, time: 1_700_000_000_000 })
    expect(b.line(reading('b,1'))).toBe('reading,device=b\\,1,member=ryokan\\ a,metric=temperature,sector=accommodation value=21.5 1700000000000')
    expect(b.cachedTags).toBe(4)
    // Enough distinct device names for a's device cache to start again once.
    const extra = 1234
    for (let i = 0; i < TAG_CACHE_ENTRIES + extra; i++) a.line(reading(`a-${i}`))
    expect(a.cachedTags).toBe(extra + 3)
    expect(b.cachedTags).toBe(4)
  })
})
