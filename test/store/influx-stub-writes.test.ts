import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import type { Reading } from '../../server/domain/reading.ts'
import { startInfluxStub, type InfluxStub, type InfluxStubOptions, type StoredPoint } from '../helpers/influx-stub.ts'
import { T0, reading } from './reading-store.contract.ts'

// InfluxDB 2.x and 3.x answer here through test/helpers/influx-stub.ts: a stand-in that replies
// with the status codes and bodies of InfluxData's API reference, because no 2.x or 3.x server
// can be installed on this machine (1.x runs for real: influx.test.ts, queued-influx.test.ts).
// What these tests show is how the hub's durable queue (queued-store.ts, drainer.ts) treats each
// answer; that a real server answers so is the reference's word, not a measurement.

const TOKEN = 'hub-token'
const stubs: InfluxStub[] = []
const stores: QueuedReadingStore[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
  for (const stub of stubs.splice(0)) await stub.stop()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function stub (options: Partial<InfluxStubOptions> & Pick<InfluxStubOptions, 'flavor'>): Promise<InfluxStub> {
  const started = await startInfluxStub({ tokens: { [TOKEN]: { write: true } }, buckets: ['tsudoi'], ...options })
  stubs.push(started)
  return started
}

interface Opened { store: QueuedReadingStore, dir: string, retries: Array<{ message: string, delayMs: number }> }

/** The real queued store (disk queue, writer thread, drainer, dead-letter file) in front of a stub; retries come quickly. */
async function queued (url: string, options: { token?: string, timers?: { delays: number[] } } = {}): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-stub-'))
  dirs.push(dir)
  const retries: Opened['retries'] = []
  const store = new QueuedReadingStore({
    dir,
    influx: new InfluxReadingStore({ url, database: 'tsudoi', token: options.token ?? TOKEN, rollups: { enabled: false } }),
    maxBytes: 1024 * 1024,
    synchronous: 'normal',
    onRetry: (error, _failures, delayMs) => { retries.push({ message: (error as Error).message, delayMs }) },
    drain: {
      minRetryMs: 5,
      maxRetryMs: 20,
      ...(options.timers === undefined
        ? {}
        : {
            // Records the wait the drainer chose and then retries at once (no test waits for a real Retry-After).
            timers: {
              setTimeout: (fn: () => void, ms: number) => { options.timers!.delays.push(ms); return setTimeout(fn, 0) },
              clearTimeout: (handle: unknown) => { clearTimeout(handle as NodeJS.Timeout) }
            }
          })
    }
  })
  await store.open()
  stores.push(store)
  return { store, dir, retries }
}

const readings = (count: number, device = (i: number): string => `d${i % 3}`): Reading[] =>
  Array.from({ length: count }, (_, i) => reading('ryokan', device(i), 'temperature', T0 + i * 1000, 20 + i / 10))

/** What the stub holds of `reading`, as readings, in time order. */
function stored (influx: InfluxStub): Array<Pick<Reading, 'device' | 'time' | 'value'>> {
  return influx.measurement('reading').map((point: StoredPoint) => ({ device: point.tags.device!, time: point.time, value: point.fields.value as number }))
}

const expected = (list: readonly Reading[]): Array<Pick<Reading, 'device' | 'time' | 'value'>> =>
  list.map(({ device, time, value }) => ({ device, time, value }))

describe.each(['v2', 'v3'] as const)('InfluxDB %s (stub): credentials and bucket problems keep readings queued', (flavor) => {
  // The operator fixes these, so the readings must wait for them, not be parked as refused.
  const cases = [
    { name: '401 unknown token', status: 401, setup: async () => await stub({ flavor, tokens: { other: { write: true } } }), fix: (s: InfluxStub) => { s.tokens.set(TOKEN, { write: true }) } },
    { name: '403 read-only token', status: 403, setup: async () => await stub({ flavor, tokens: { [TOKEN]: { write: false } } }), fix: (s: InfluxStub) => { s.tokens.set(TOKEN, { write: true }) } },
    // 3.x creates the database on the first write instead.
    ...(flavor === 'v2' ? [{ name: '404 no such bucket', status: 404, setup: async () => await stub({ flavor, buckets: [] }), fix: (s: InfluxStub) => { s.buckets.add('tsudoi') } }] : [])
  ]
  for (const { name, status, setup, fix } of cases) {
    it(`${name}: retried, not dead-lettered, the queue shows the backlog, drained once fixed`, async () => {
      const influx = await setup()
      // 3.x asks for the token on /ping too: the 401 case never gets past it, and that waits as well.
      const { store, dir, retries } = await queued(influx.url)
      const batch = readings(30)
      await store.append(batch)
      await vi.waitFor(() => { expect(retries.length).toBeGreaterThanOrEqual(3) }, { timeout: 10_000, interval: 10 })
      expect(store.depth()).toBe(30)
      expect(store.stats.deadLettered).toBe(0)
      expect(existsSync(join(dir, 'dead-letter.jsonl'))).toBe(false)
      expect(influx.requests.some((request) => request.status === status)).toBe(true)
      expect(stored(influx)).toEqual([])
      fix(influx)
      await store.drained()
      expect(store.depth()).toBe(0)
      expect(stored(influx)).toEqual(expected(batch))
    })
  }
})

describe.each(['v2', 'v3'] as const)('InfluxDB %s (stub): refused data', (flavor) => {
  it('400 partial write: the batch is bisected, the refused reading dead-lettered, every other one written', async () => {
    const refusal = 'field type conflict: input field "value" on measurement "reading" is type float, already exists as type integer'
    const influx = await stub({ flavor, refuseLine: (point) => point.tags.device === 'bad' ? refusal : undefined })
    const { store, dir } = await queued(influx.url)
    const batch = readings(16, (i) => i === 11 ? 'bad' : `d${i % 3}`)
    await store.append(batch)
    await store.drained()
    expect(stored(influx)).toEqual(expected(batch.filter((r) => r.device !== 'bad')))
    expect(store.stats).toMatchObject({ deadLettered: 1, written: 15 })
    const letters = readFileSync(join(dir, 'dead-letter.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(letters).toEqual([{
      at: expect.any(String),
      status: 400,
      // 2.x says it in `message`; 3.x in `error`, and why each line was refused in `data`.
      message: flavor === 'v2' ? `partial write: ${refusal} dropped=1` : `partial write of line protocol occurred: line 1: ${refusal}`,
      line: `reading,device=bad,member=ryokan,metric=temperature,sector=accommodation value=21.1 ${T0 + 11_000}`,
      reading: batch[11]
    }])
    expect(store.depth()).toBe(0)
  })

  it('413 request too large: split until the pieces fit, nothing dead-lettered', async () => {
    // One line is ~95 bytes: 40 readings (~3.8 kB) and 20 are refused, 10 fit.
    const influx = await stub({ flavor, maxBodyBytes: 1200 })
    const { store } = await queued(influx.url)
    const batch = readings(40)
    await store.append(batch)
    await store.drained()
    expect(stored(influx)).toEqual(expected(batch))
    expect(store.stats.deadLettered).toBe(0)
    const writes = influx.requests.filter((request) => request.path === '/api/v2/write')
    expect(writes[0]).toMatchObject({ status: 413 })
    expect(writes.filter((request) => request.status === 204).every((request) => request.body.length <= 1200)).toBe(true)
  })
})

describe.each(['v2', 'v3'] as const)('InfluxDB %s (stub): overloaded', (flavor) => {
  for (const status of [429, 503] as const) {
    it(`${status} with Retry-After: retried no sooner than asked, then delivered`, async () => {
      const influx = await stub({ flavor })
      influx.overloaded = { status, retryAfterS: 7 }
      const delays: number[] = []
      const { store, retries } = await queued(influx.url, { timers: { delays } })
      const batch = readings(5)
      await store.append(batch)
      await vi.waitFor(() => { expect(retries.length).toBeGreaterThanOrEqual(2) }, { timeout: 10_000, interval: 10 })
      influx.overloaded = undefined
      await store.drained()
      expect(stored(influx)).toEqual(expected(batch))
      expect(store.stats.deadLettered).toBe(0)
      // The drainer's own backoff here is 5–20 ms; the server asked for 7 s.
      expect(delays.length).toBeGreaterThanOrEqual(2)
      expect(delays.every((ms) => ms >= 7000 && ms <= 300_000)).toBe(true)
      expect(retries[0]!.message).toContain(`answered ${status}`)
    })
  }
})
