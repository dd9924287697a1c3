import { describe, expect, it } from 'vitest'
import { decodeTelemetry } from '../../server/ingest/formats/native.ts'
import { parseTimestamp, validateCandidate } from '../../server/ingest/validate.ts'
import { buildCommunity } from '../../device-sim/community.ts'
import { DeviceFaults } from '../../device-sim/faults.ts'
import { malformedPayload } from '../../device-sim/malformed.ts'
import { SUMMER_WEEK } from './helpers.ts'

// The faults are checked against the hub's own decoder and validator (server/ingest), so a
// "malformed" payload is one the hub really refuses, with the code the simulator expects.

const make = (format: 'json' | 'plain') => buildCommunity({
  seed: 3, members: 4, sectors: [{ sector: 'restaurant' }, { sector: 'fishery' }, { sector: 'aquaculture' }, { sector: 'manufacturing' }],
  devicesPerMember: 2, format, meterEpoch: SUMMER_WEEK - 86_400_000
})

/** What the hub's native decoder says about a payload on a topic: the first refusal code, or 'ACCEPTED'. */
function hubVerdict (topic: string, payload: string, now: number): string {
  const leaf = topic.split('/').at(-1) ?? ''
  if (leaf === 'telemetry') {
    const decoded = decodeTelemetry(payload)
    if (decoded.refusals[0] !== undefined) return decoded.refusals[0].code
    for (const candidate of decoded.candidates) {
      const result = validateCandidate(candidate, now)
      if ('code' in result) return result.code
    }
    return 'ACCEPTED'
  }
  const result = validateCandidate({ metric: leaf, value: payload }, now)
  return 'code' in result ? result.code : 'ACCEPTED'
}

describe('malformed payloads', () => {
  it.each(['json', 'plain'] as const)('are each refused by the hub with the expected code (%s devices)', (format) => {
    const seen = new Set<string>()
    for (const device of make(format).devices) {
      const values = device.sampler.sample(SUMMER_WEEK)
      for (let pick = 0; pick < 1; pick += 0.02) {
        const bad = malformedPayload(device, values, pick)
        expect(hubVerdict(bad.topic, bad.payload, SUMMER_WEEK), `${bad.kind}: ${bad.payload}`).toBe(bad.expect)
        seen.add(bad.kind)
      }
    }
    expect(seen.size).toBe(format === 'json' ? 5 : 3)
  })

  it('come at the requested rate', () => {
    const device = make('json').devices[0]
    if (device === undefined) throw new Error('no device')
    const faults = new DeviceFaults(1, device, { malformed: 0.1 }, SUMMER_WEEK)
    const sent = Array.from({ length: 5000 }, () => faults.malformed(() => ({ power: 1 }))).filter((m) => m !== undefined).length
    expect(sent).toBeGreaterThan(400)
    expect(sent).toBeLessThan(600)
  })
})

describe('dropouts', () => {
  it('silence one sensor for a few readings while the others carry on', () => {
    const device = make('json').devices.find((d) => d.kind.metrics.length >= 2)
    if (device === undefined) throw new Error('no multi-metric device')
    const faults = new DeviceFaults(1, device, { dropout: 0.05 }, SUMMER_WEEK)
    let started = 0
    let skipped = 0
    let partial = 0
    for (let i = 0; i < 2000; i++) {
      const result = faults.dropouts(device.sampler.sample(SUMMER_WEEK + i * 10_000))
      started += result.started
      skipped += result.skipped
      if (result.skipped > 0 && Object.keys(result.values).length > 0) partial++
    }
    expect(started).toBeGreaterThan(40)
    expect(skipped).toBeGreaterThan(started * 3)
    expect(partial).toBeGreaterThan(0)
  })

  it('are the same for the same seed', () => {
    const device = make('json').devices[0]
    if (device === undefined) throw new Error('no device')
    const run = (): number[] => {
      const faults = new DeviceFaults(8, device, { dropout: 0.2, 'offline-backlog': 0.05 }, SUMMER_WEEK)
      return Array.from({ length: 300 }, (_, i) => faults.dropouts(device.sampler.sample(SUMMER_WEEK + i * 1000)).skipped * 100 + faults.outage())
    }
    expect(run()).toEqual(run())
  })
})

describe('clock skew', () => {
  const devices = make('json').devices
  const all = devices.map((d) => new DeviceFaults(11, d, { 'clock-skew': 1 }, SUMMER_WEEK))

  it('gives a skewed clock a few minutes off, which the hub accepts', () => {
    const skewed = all.filter((f) => f.clock?.kind === 'skewed')
    expect(skewed.length).toBeGreaterThan(0)
    for (const faults of skewed) {
      const shown = faults.deviceTime(SUMMER_WEEK) ?? 0
      expect(Math.abs(shown - SUMMER_WEEK)).toBeGreaterThanOrEqual(20_000)
      expect(Math.abs(shown - SUMMER_WEEK)).toBeLessThanOrEqual(15 * 60_000)
      expect(parseTimestamp(shown, SUMMER_WEEK)).toBe(shown)
    }
  })

  it('gives an unsynced clock the time since boot, which the hub refuses as too old', () => {
    const unsynced = devices.map((d, i) => new DeviceFaults(i, d, { 'clock-skew': 1 }, SUMMER_WEEK)).filter((f) => f.clock?.kind === 'unsynced')
    expect(unsynced.length).toBeGreaterThan(0)
    for (const faults of unsynced) {
      expect(parseTimestamp(faults.deviceTime(SUMMER_WEEK), SUMMER_WEEK)).toMatchObject({ code: 'TIMESTAMP_TOO_OLD' })
    }
  })

  it('leaves clocks alone without the fault', () => {
    expect(devices.map((d) => new DeviceFaults(11, d, {}, SUMMER_WEEK).deviceTime(SUMMER_WEEK))).toEqual(devices.map(() => undefined))
  })
})
