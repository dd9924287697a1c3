import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { createRootLogger } from '../../server/log.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import { selectReadingStore } from '../../server/store/select-store.ts'
import { connectDevice, provision, startTestHub, type TestHub } from '../helpers/hub.ts'
import { startInfluxStub, type InfluxStub } from '../helpers/influx-stub.ts'
import { T0, reading } from './reading-store.contract.ts'

// Settings that reach InfluxDB 2.x, and what an operator sees when they are wrong — against the
// stub of test/helpers/influx-stub.ts (no 2.x server installs on this machine).

const TOKEN = 'hub-token'
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup() })

async function stub (requiredOrg?: string): Promise<InfluxStub> {
  const influx = await startInfluxStub({ flavor: 'v2', tokens: { [TOKEN]: { write: true } }, buckets: ['tsudoi'], ...(requiredOrg === undefined ? {} : { requiredOrg }) })
  cleanups.push(async () => { await influx.stop() })
  return influx
}

/** The store exactly as the hub selects it from its settings. */
async function selected (env: Record<string, string>): Promise<QueuedReadingStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-stub-config-'))
  cleanups.push(() => { rmSync(dir, { recursive: true, force: true }) })
  const { store } = selectReadingStore(loadConfig({ TSUDOI_DATA_DIR: dir, TSUDOI_SYNC: 'normal', INFLUX_TOKEN: TOKEN, ...env }), createRootLogger('silent'))
  const queued = store as QueuedReadingStore
  await queued.open()
  cleanups.push(async () => { await queued.close() })
  return queued
}

describe('INFLUX_ORG (InfluxDB 2.x, stub)', () => {
  it('names the organisation on /api/v2/write and /api/v2/delete', async () => {
    // A token that can see several organisations must say which one the bucket is in.
    const influx = await stub('tsudoi-shop')
    const store = await selected({ INFLUX_URL: influx.url, INFLUX_ORG: 'tsudoi-shop' })
    await store.append([reading('ryokan', 'd1', 'temperature', T0, 21)])
    await store.drained()
    await store.deleteMember('ryokan')
    const writes = influx.to('/api/v2/write')
    const deletes = influx.to('/api/v2/delete')
    expect(writes.length).toBeGreaterThan(0)
    expect(deletes).toHaveLength(3)
    expect([...writes, ...deletes].map((request) => [request.params.org, request.params.bucket, request.status])).toEqual(
      [...writes, ...deletes].map(() => ['tsudoi-shop', 'tsudoi', 204]))
    expect(influx.measurement('reading')).toEqual([])
  })

  it('without it, such a server answers 404 for the organisation and the readings wait in the queue', async () => {
    const influx = await stub('tsudoi-shop')
    const store = await selected({ INFLUX_URL: influx.url })
    await store.append([reading('ryokan', 'd1', 'temperature', T0, 21)])
    await vi.waitFor(() => { expect(influx.to('/api/v2/write').length).toBeGreaterThanOrEqual(2) }, { timeout: 15_000, interval: 20 })
    expect(influx.to('/api/v2/write').every((request) => request.status === 404 && request.params.org === undefined)).toBe(true)
    expect(store.depth()).toBe(1)
    expect(store.stats.deadLettered).toBe(0)
  })
})

describe('a hub whose InfluxDB 2.x refuses its token (stub)', () => {
  let t: TestHub | undefined
  afterEach(async () => { await t?.stop(); t = undefined })

  it('acknowledges into the queue, /api/health shows the backlog, and it drains once the token is accepted', async () => {
    const influx = await stub()
    influx.tokens.delete(TOKEN)
    t = await startTestHub({ INFLUX_URL: influx.url, INFLUX_TOKEN: TOKEN })
    const p = await provision(t, 'ryokan-a', 'accommodation')
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    const start = Date.now() - 60_000
    for (let i = 0; i < 5; i++) await client.publishAsync(p.device.topic, JSON.stringify({ temperature: 20 + i, ts: start + i * 1000 }), { qos: 1 })
    await vi.waitFor(() => { expect(influx.to('/api/v2/write').filter((request) => request.status === 401).length).toBeGreaterThanOrEqual(2) }, { timeout: 15_000, interval: 20 })
    const health = await t.api('/api/health')
    expect(health.body.queue).toMatchObject({ depth: 5, full: false })
    expect(health.body.queue.bytes).toBeGreaterThan(0)
    expect(influx.measurement('reading')).toEqual([])
    client.end(true)
    influx.tokens.set(TOKEN, { write: true })
    await t.hub.drained()
    expect(influx.measurement('reading').map((point) => point.fields.value)).toEqual([20, 21, 22, 23, 24])
    expect((await t.api('/api/health')).body.queue).toEqual({ depth: 0, bytes: 0, oldestAgeMs: 0, full: false })
  })
})
