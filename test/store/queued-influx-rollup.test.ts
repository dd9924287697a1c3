import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMetrics } from '../../server/metrics.ts'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import { influxdAvailable, startInfluxd, type Influxd } from '../helpers/influxd.ts'
import { reading } from './reading-store.contract.ts'

// The hub holds InfluxDB behind the durable queue: the rollup's progress passes through it,
// and /metrics shows it.
const available = influxdAvailable()
let influxd: Influxd | undefined
const dir = mkdtempSync(join(tmpdir(), 'tsudoi-queued-rollup-'))

beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterAll(async () => {
  await influxd?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 0, 10)

describe.skipIf(!available)('QueuedReadingStore and the hourly rollup', () => {
  it('passes the rollup through; /metrics reports its progress', async () => {
    const influx = new InfluxReadingStore({ url: influxd!.url, database: 'queued_rollup', rollups: { intervalMs: 0, now: () => NOW + HOUR / 2 } })
    const store = new QueuedReadingStore({ dir, influx, maxBytes: 1024 * 1024, synchronous: 'normal' })
    const metrics = createMetrics()
    metrics.watchInfluxRollups(() => store.rollups.status())
    await store.open()
    try {
      const readings = [0, 1, 2].flatMap((h) => ['m1', 'm2', 'm3'].map((member, i) => reading(member, `${member}-d`, 'temperature', NOW - (h + 1) * HOUR + i * 1000, 20 + i + h)))
      await store.append(readings)
      await store.drained()
      const gauges = async (): Promise<string[]> => (await metrics.registry.metrics()).split('\n').filter((line) => line.startsWith('tsudoi_influx_rollup_'))
      expect(await gauges()).toEqual([
        'tsudoi_influx_rollup_dirty_hours 3',
        'tsudoi_influx_rollup_reconciling 1',
        `tsudoi_influx_rollup_verified_from_seconds ${NOW / 1000}`
      ])
      await store.rollups.settle()
      expect(await gauges()).toEqual([
        'tsudoi_influx_rollup_dirty_hours 0',
        'tsudoi_influx_rollup_reconciling 0',
        'tsudoi_influx_rollup_verified_from_seconds 0'
      ])
      const answers = await store.memberBuckets({ metric: 'temperature', from: NOW - 3 * HOUR, to: NOW, bucketMs: HOUR, kind: 'gauge' })
      expect(answers).toEqual([0, 1, 2].reverse().flatMap((h) => ['m1', 'm2', 'm3'].map((member, i) => ({ time: NOW - (h + 1) * HOUR, member, value: 20 + i + h }))))
      expect(store.rollups.status().answered).toEqual({ rollup: 1, raw: 0 })
    } finally {
      await store.close()
    }
  })
})
