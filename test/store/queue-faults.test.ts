import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import type { Reading } from '../../server/domain/reading.ts'
import { influxdAvailable, influxQuery, startInfluxd, type Influxd } from '../helpers/influxd.ts'
import { T0 } from './reading-store.contract.ts'

// Faults against a real influxd: the server going away under load, the hub crashing
// mid-stream, and a batch the server refuses. Each prints what it measured.

const available = influxdAvailable()
let influxd: Influxd | undefined
let dir: string
beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterAll(async () => { await influxd?.dispose() })
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tsudoi-faults-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function scalar (database: string, q: string): Promise<number> {
  const body = await influxQuery(influxd!.url, q, database) as { results: Array<{ series?: Array<{ values: number[][] }> }> }
  return body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0
}

function queued (database: string, onRetry?: () => void): QueuedReadingStore {
  return new QueuedReadingStore({
    dir,
    influx: new InfluxReadingStore({ url: influxd!.url, database, timeoutMs: 2000 }),
    maxBytes: 64 * 1024 * 1024,
    drain: { minRetryMs: 25, maxRetryMs: 400 },
    ...(onRetry === undefined ? {} : { onRetry })
  })
}

const batchOf = (first: number, size: number): Reading[] => Array.from({ length: size }, (_, i) => {
  const n = first + i
  return { time: T0 + n * 1000, member: 'faulty', device: `d${n % 4}`, sector: 'retail', metric: 'power', value: n }
})

describe.skipIf(!available)('durable queue faults against a real influxd', () => {
  it('influxd stopped while appending: every acknowledged reading arrives exactly once', async () => {
    let retries = 0
    const store = queued('faults_stop', () => { retries++ })
    await store.open()
    const size = 50
    let next = 0
    const appendBatches = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++, next += size) await store.append(batchOf(next, size))
    }
    await appendBatches(10)
    await store.drained()
    await influxd!.stop()
    await appendBatches(20) // acknowledged while InfluxDB is down
    const depthWhileDown = store.depth()
    await sleep(300)
    const oldestWhileDown = store.oldestAgeMs()
    const restartedAt = Date.now()
    await influxd!.start()
    await appendBatches(10)
    await store.drained()
    const drainMs = Date.now() - restartedAt

    expect(depthWhileDown).toBe(20 * size)
    expect(oldestWhileDown).toBeGreaterThanOrEqual(300)
    expect(retries).toBeGreaterThan(0)
    expect(await scalar('faults_stop', 'SELECT count(value) FROM reading')).toBe(next)
    expect(await scalar('faults_stop', 'SELECT sum(value) FROM reading')).toBe((next * (next - 1)) / 2)
    expect([store.depth(), store.bytes(), store.stats.deadLettered]).toEqual([0, 0, 0])
    console.info(`[fault: influxd stopped] appended ${next}, ${depthWhileDown} queued while down (oldest ${oldestWhileDown} ms), ` +
      `${retries} failed attempts, drained ${drainMs} ms after restart; points in InfluxDB: ${next}`)
    await store.close()
  })

  it('hub killed (SIGKILL) mid-stream and reopened: acknowledged readings arrive exactly once', async () => {
    const size = 50
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/queue-writer.ts', import.meta.url)),
      dir, influxd!.url, 'faults_crash', String(size), '1000', String(T0)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let acked = 0
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      const last = /acked (\d+)\n$/.exec(chunk.toString())
      if (last !== null) acked = Number(last[1])
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    // Kill once it has acknowledged a good amount and the drainer has delivered part of it.
    const deadline = Date.now() + 20_000
    while ((acked < 3000 || await scalar('faults_crash', 'SELECT count(value) FROM reading').catch(() => 0) === 0) && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`writer exited: ${stderr}`)
      await sleep(20)
    }
    child.kill('SIGKILL')
    await exited
    const ackedAtKill = acked
    const inInfluxAtKill = await scalar('faults_crash', 'SELECT count(value) FROM reading')

    const store = queued('faults_crash')
    await store.open()
    const queuedAtReopen = store.depth()
    await store.drained()
    const total = await scalar('faults_crash', 'SELECT count(value) FROM reading')
    const ackedRange = await scalar('faults_crash', `SELECT count(value) FROM reading WHERE time < ${T0 + ackedAtKill * 1000}ms`)

    // The kill came mid-stream, as intended, not after the wait gave up.
    expect(ackedAtKill).toBeGreaterThanOrEqual(3000)
    expect(inInfluxAtKill).toBeGreaterThan(0)
    expect(ackedRange).toBe(ackedAtKill) // every acknowledged reading, once
    // …plus at most the batch committed to the queue whose acknowledgement the kill cut off.
    expect([ackedAtKill, ackedAtKill + size]).toContain(total)
    expect(await scalar('faults_crash', 'SELECT sum(value) FROM reading')).toBe((total * (total - 1)) / 2)
    // Rows written to InfluxDB but not yet deleted from the queue when the hub died: sent again, absorbed.
    // Nothing appears from nowhere, and what was sent twice is at most what the queue still held.
    const resent = inInfluxAtKill + queuedAtReopen - total
    expect(resent).toBeGreaterThanOrEqual(0)
    expect(resent).toBeLessThanOrEqual(queuedAtReopen)
    console.info(`[fault: hub SIGKILL] acknowledged ${ackedAtKill}, in InfluxDB at kill ${inInfluxAtKill}, ` +
      `queued on reopen ${queuedAtReopen} (${resent} of them already in InfluxDB), points after drain ${total}`)
    await store.close()
  })

  it('a reading the server refuses (400 field type conflict) is dead-lettered; the rest flows', async () => {
    const database = 'faults_conflict'
    const poisonedWeek = T0 - 14 * 86_400_000 // another shard group (7 days on autogen)
    await influxQuery(influxd!.url, `CREATE DATABASE ${database}`)
    // `value` becomes a string field in that shard: any float `value` there is refused.
    const seed = await fetch(`${influxd!.url}/write?db=${database}&precision=ms`, {
      method: 'POST', body: `reading,member=seed,device=seed,metric=note value="not a number" ${poisonedWeek}`
    })
    expect(seed.status).toBe(204)

    const store = queued(database)
    await store.open()
    const good = batchOf(0, 40)
    const refused = [3, 17, 31].map((n) => ({ ...good[n]!, time: poisonedWeek + n * 1000 }))
    const mixed = good.map((r, n) => refused.find((p) => p.value === n) ?? r)
    await store.append(mixed)
    await store.append(batchOf(40, 10))
    await store.drained()

    const dead = readFileSync(join(dir, 'dead-letter.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(dead).toEqual(refused.map((reading) => ({
      at: expect.any(String),
      status: 400,
      message: expect.stringContaining('field type conflict'),
      line: `reading,device=${reading.device},member=faulty,metric=power,sector=retail value=${reading.value} ${reading.time}`,
      reading
    })))
    expect(await scalar(database, `SELECT count(value) FROM reading WHERE member = 'faulty' AND time >= ${T0}ms`)).toBe(47)
    expect([store.depth(), store.stats.deadLettered]).toEqual([0, 3])
    console.info(`[fault: 400] ${store.stats.deadLettered} dead-lettered (${String(dead[0]?.message)}), 47 written, ` +
      `${store.stats.batches} batches, queue depth ${store.depth()}`)
    await store.close()
  })
})
