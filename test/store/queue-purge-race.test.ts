import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Reading } from '../../server/domain/reading.ts'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import { type InfluxStub, startInfluxStub } from '../helpers/influx-stub.ts'
import { T0 } from './reading-store.contract.ts'

// Purges racing pushes in the durable queue: InfluxDB (2.x, through test/helpers/influx-stub.ts)
// answers every write 503, so nothing drains and every pushed reading stays queued, but takes
// deletes. Members' readings are purged while another member's appends keep committing. Each
// purge must succeed, and depth and bytes must stay what queue.db holds. A purge that read the
// file through one connection and then wrote it while another connection had committed in
// between got SQLITE_BUSY at once (a deferred transaction cannot move its snapshot forward, so
// busy_timeout does not help): one writing connection, on the queue writer thread, rules it out.

const TOKEN = 'hub-token'
let dir: string
let stub: InfluxStub
let store: QueuedReadingStore | undefined
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsudoi-purge-race-'))
  stub = await startInfluxStub({ flavor: 'v2', tokens: { [TOKEN]: { write: true } }, buckets: ['tsudoi'] })
  stub.overloaded = { status: 503, retryAfterS: 1 }
})
afterEach(async () => {
  await store?.close()
  await stub.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Readings and payload bytes summed over queue.db's rows, read as an operator would. */
function inFile (): { readings: number, bytes: number } {
  const db = new Database(join(dir, 'queue.db'), { readonly: true })
  try {
    return db.prepare('SELECT COALESCE(SUM(count), 0) AS readings, COALESCE(SUM(bytes), 0) AS bytes FROM batch').get() as { readings: number, bytes: number }
  } finally {
    db.close()
  }
}

const batch = (member: string, first: number, size: number): Reading[] =>
  Array.from({ length: size }, (_, i) => ({ time: T0 + (first + i) * 1000, member, device: `${member}-d1`, sector: 'retail', metric: 'temperature', value: 20 + i / 10 }))

describe('purging members from the durable queue while others push', () => {
  it('every purge succeeds and the counters stay equal to the rows', async () => {
    store = new QueuedReadingStore({
      dir,
      influx: new InfluxReadingStore({ url: stub.url, database: 'tsudoi', token: TOKEN, rollups: { enabled: false } }),
      maxBytes: 1024 * 1024 * 1024,
      synchronous: 'normal',
      drain: { rowReadings: 10, minRetryMs: 200, maxRetryMs: 400 }
    })
    await store.open()
    // The race is lost only sometimes: on the code before one writer did every write (the purge
    // on the main thread's own connection) a purge failed with 'database is locked' in 5 of 7
    // runs of one round, and in 3 of 3 runs of these three rounds.
    let stayed = 0
    for (let round = 0; round < 3; round++) {
      const members = Array.from({ length: 24 }, (_, i) => `gone-${round}-${i}`)
      // 24 members × 40 rows of 10 readings, interleaved, so every purge rewrites rows across the file.
      for (let row = 0; row < 40; row++) {
        await Promise.all(members.map(async (member) => await store!.append(batch(member, row * 10, 10))))
      }
      expect([store.depth(), inFile().readings]).toEqual([stayed + 9600, stayed + 9600])

      let pushing = true
      const pusher = (async () => {
        while (pushing) {
          await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(async (k) => await store!.append(batch('stays', stayed + k * 10, 10))))
          stayed += 80
        }
      })()
      const purges = await Promise.allSettled(members.map(async (member) => await store!.deleteMember(member)))
      pushing = false
      await pusher

      expect(purges.map((purge) => purge.status === 'rejected' ? String(purge.reason) : 'purged')).toEqual(members.map(() => 'purged'))
      expect({ depth: store.depth(), bytes: store.bytes() }).toEqual({ depth: stayed, bytes: inFile().bytes })
      expect(inFile().readings).toBe(stayed)
    }
    expect(stayed).toBeGreaterThan(0)
    // Nothing of the purged members is left to drain.
    stub.overloaded = undefined
    await store.drained()
    expect(new Set(stub.measurement('reading').map((point) => point.tags.member))).toEqual(new Set(['stays']))
    expect([store.depth(), store.bytes(), inFile()]).toEqual([0, 0, { readings: 0, bytes: 0 }])
  })
})
