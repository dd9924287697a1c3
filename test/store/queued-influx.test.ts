import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { QueuedReadingStore } from '../../server/store/queue/queued-store.ts'
import { influxdAvailable, startInfluxd, type Influxd } from '../helpers/influxd.ts'
import { readingStoreContract } from './reading-store.contract.ts'

// The queued store keeps the same contract once its queue has drained.
const available = influxdAvailable()
let influxd: Influxd | undefined
const dir = mkdtempSync(join(tmpdir(), 'tsudoi-queued-'))
let n = 0

beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterAll(async () => {
  await influxd?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!available)('QueuedReadingStore against a real influxd', () => {
  readingStoreContract('QueuedReadingStore', {
    async create () {
      n++
      const store = new QueuedReadingStore({
        dir: join(dir, `data-${n}`),
        influx: new InfluxReadingStore({ url: influxd!.url, database: `queued_${n}` }),
        maxBytes: 1024 * 1024,
        synchronous: 'normal'
      })
      await store.open()
      return store
    },
    settle: async (store) => { await (store as QueuedReadingStore).drained() }
  })
})
