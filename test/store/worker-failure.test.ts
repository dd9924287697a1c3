import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Reading } from '../../server/domain/reading.ts'
import { ThreadedSqliteStore } from '../../server/store/sqlite/threaded-store.ts'
import { connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 10: a store worker thread that exits used to leave its pending appends — and
// the PUBACKs waiting on them — hanging forever, and every later append too. Now what it held
// is refused (STORE_UNAVAILABLE: not acknowledged, the device resends), the writer starts
// again for the next commit, and the hub counts it in /metrics and /api/health.

const reading = (metric: string, value: number, time = Date.now()): Reading =>
  ({ time, member: 'm1', device: 'd1', sector: 'retail', metric, value })

describe('the store writer thread dies', () => {
  const dirs: string[] = []
  afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }) })

  async function openStore (): Promise<{ store: ThreadedSqliteStore, failures: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'tsudoi-worker-'))
    dirs.push(dir)
    const store = new ThreadedSqliteStore({ file: join(dir, 'readings.db'), synchronous: 'normal' })
    const failures: string[] = []
    store.onWorkerFailure((worker, error) => failures.push(`${worker}: ${error.message}`))
    await store.open()
    return { store, failures }
  }

  it('settles an append in flight when the thread exits, and the next append starts a new writer', async () => {
    const { store, failures } = await openStore()
    const t0 = Date.now() - 60_000
    const big = Array.from({ length: 100_000 }, (_, i) => reading(`m${i % 50}`, i, t0 + i))
    const inFlight = store.append(big).then(() => 'stored', (error: { code?: string }) => error.code)
    await store.killWriterForTest()
    expect(['stored', 'STORE_UNAVAILABLE']).toContain(await inFlight)
    expect(failures).toEqual(['store writer: the thread exited with code 1'])
    await store.append([reading('after', 1, t0)])
    expect(await store.readings({ member: 'm1', metric: 'after', from: 0, to: Date.now(), limit: 10 }))
      .toEqual([{ time: t0, member: 'm1', device: 'd1', sector: 'retail', metric: 'after', value: 1 }])
    await store.close()
  })

  it('acknowledges a QoS 1 reading through a hub whose writer died, and reports the failure', async () => {
    const t = await startTestHub()
    try {
      const p = await provision(t, 'tofu')
      const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
      await (t.hub.store as ThreadedSqliteStore).killWriterForTest()
      await client.publishAsync('tsudoi/tofu/tofu-d1/temperature', '4.5', { qos: 1 })
      const { body } = await t.api('/api/me/readings?metric=temperature', { token: p.member.accessKey })
      expect(body.readings).toEqual([{ time: expect.any(Number), device: 'tofu-d1', metric: 'temperature', value: 4.5 }])
      const metrics = await t.api('/metrics')
      expect(metrics.body).toContain('tsudoi_store_worker_failures_total{worker="store writer"} 1')
      const health = await t.api('/api/health')
      expect(health.body.storeWorkerFailures).toBe(1)
      client.end(true)
    } finally {
      await t.stop()
    }
  })
})
