import { describe, expect, it } from 'vitest'
import { decodeTelemetry } from '../../server/ingest/formats/native.ts'
import { buildCommunity } from '../../device-sim/community.ts'
import { backlogPublications, livePublications } from '../../device-sim/payloads.ts'
import { StatusLine, formatStatus } from '../../device-sim/status.ts'
import { SimStats } from '../../device-sim/stats.ts'
import { formatSummary, summarize } from '../../device-sim/summary.ts'
import { resolveOptions } from '../../device-sim/options.ts'
import { SUMMER_WEEK } from './helpers.ts'

const c = (format: 'json' | 'plain') => buildCommunity({ seed: 1, members: 1, sectors: [{ sector: 'office' }], devicesPerMember: 1, format, meterEpoch: SUMMER_WEEK })

describe('payloads', () => {
  it('publishes a JSON object on telemetry, with ts only when asked', () => {
    const device = c('json').devices[0]
    if (device === undefined) throw new Error('no device')
    expect(livePublications(device, { co2: 612, temperature: 24.5 })).toEqual([
      { topic: 'tsudoi/s1-office-01/s1-office-01-air/telemetry', payload: '{"co2":612,"temperature":24.5}', readings: 2 }
    ])
    expect(livePublications(device, { co2: 612 }, 1234567890123)[0]?.payload).toBe('{"co2":612,"ts":1234567890123}')
    expect(livePublications(device, {})).toEqual([])
  })

  it('publishes one plain number per metric topic, or JSON when the reading needs its own time', () => {
    const device = c('plain').devices[0]
    if (device === undefined) throw new Error('no device')
    expect(livePublications(device, { co2: 612, temperature: 24.5 })).toEqual([
      { topic: 'tsudoi/s1-office-01/s1-office-01-air/co2', payload: '612', readings: 1 },
      { topic: 'tsudoi/s1-office-01/s1-office-01-air/temperature', payload: '24.5', readings: 1 }
    ])
    expect(livePublications(device, { co2: 612 }, SUMMER_WEEK)[0]?.topic).toMatch(/telemetry$/)
  })

  it('batches a backlog into arrays the hub decodes with their timestamps', () => {
    const device = c('json').devices[0]
    if (device === undefined) throw new Error('no device')
    const entries = Array.from({ length: 120 }, (_, i) => ({ ts: SUMMER_WEEK + i * 60_000, values: device.sampler.sample(SUMMER_WEEK + i * 60_000) }))
    const batches = backlogPublications(device, entries, 50)
    expect(batches.map((b) => JSON.parse(b.payload).length)).toEqual([50, 50, 20])
    expect(batches.reduce((sum, b) => sum + b.readings, 0)).toBe(360)
    const decoded = decodeTelemetry(batches[0]?.payload ?? '')
    expect(decoded.refusals).toEqual([])
    expect(decoded.candidates).toHaveLength(150)
    expect(decoded.candidates[3]).toMatchObject({ ts: SUMMER_WEEK + 60_000 })
  })
})

describe('status and summary', () => {
  const status = { phase: 'live' as const, devices: 24, connected: 23, messagesSent: 1200, readingsSent: 3400, acknowledged: 1190, refusedByHub: 4, simTime: Date.UTC(2026, 10, 27, 3, 5) }

  it('fits the state of the run on one line, in Japan time', () => {
    expect(formatStatus(status)).toBe('[live] 23/24 connected · sent 1200 msgs (3400 readings) · acked 1190 · refused 4 · 2026-11-27 12:05 JST')
    expect(formatStatus({ ...status, phase: 'backfill', backfillDone: 0.456 })).toMatch(/^\[backfill 45%\]/)
  })

  it('rewrites the line in place on a terminal, and prints plain lines every few seconds otherwise', () => {
    const tty: string[] = []
    const line = new StatusLine({ isTTY: true, columns: 200, write: (t) => tty.push(t) })
    line.update(status)
    line.update(status)
    line.clear()
    expect(tty).toEqual([`\r\x1b[2K${formatStatus(status)}`, `\r\x1b[2K${formatStatus(status)}`, '\r\x1b[2K'])

    let now = 0
    const log: string[] = []
    const plain = new StatusLine({ write: (t) => log.push(t) }, 5000, () => now)
    plain.update(status) // first line
    now = 1000
    plain.update(status) // too soon
    plain.update({ ...status, phase: 'stopping' }) // a new phase always shows
    now = 7000
    plain.update({ ...status, phase: 'stopping' })
    expect(log).toHaveLength(3)
    expect(log.every((l) => l.endsWith('\n') && !l.includes('\x1b'))).toBe(true)
  })

  it('summarizes every counter, faults included', () => {
    const stats = new SimStats()
    stats.messagesSent = 10
    stats.acknowledged = 9
    stats.readingsLive = 30
    stats.countRefusal('INVALID_JSON')
    stats.countMalformed('truncated-json')
    const options = resolveOptions({ state: 's', faults: 'malformed:0.5' })
    const summary = summarize({ options, stats, community: c('json'), failures: [], connectedAtEnd: 1, startedAt: 0, endedAt: 60_000, simulatedFrom: 0, simulatedTo: 60_000 })
    expect(summary).toMatchObject({
      members: 1, devices: 1, messages: { sent: 10, acknowledged: 9, failed: 0 }, readings: { sent: 30, live: 30 },
      refusedByHub: { total: 1, byCode: { INVALID_JSON: 1 } }, backfill: null,
      faults: { rates: { malformed: 0.5 }, malformed: { sent: 1, byKind: { 'truncated-json': 1 } } }
    })
    const text = formatSummary(summary)
    expect(text).toContain('refused by the hub: 1 (INVALID_JSON 1)')
    expect(text).toContain('malformed        1 sent (truncated-json 1)')
  })
})
