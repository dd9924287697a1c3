import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { influxdAvailable, influxQuery, startInfluxd, type Influxd } from '../helpers/influxd.ts'
import { T0, reading, readingStoreContract } from './reading-store.contract.ts'

const available = influxdAvailable()
let influxd: Influxd | undefined
let n = 0

beforeAll(async () => { if (available) influxd = await startInfluxd() })
afterAll(async () => { await influxd?.dispose() })

const fresh = async (): Promise<InfluxReadingStore> => {
  const store = new InfluxReadingStore({ url: influxd!.url, database: `contract_${++n}` })
  await store.open()
  return store
}

describe.skipIf(!available)('InfluxReadingStore against a real influxd', () => {
  readingStoreContract('InfluxReadingStore', { create: fresh })

  // The same contract with the hourly rollup caught up after every write, a day after the
  // readings: whole-hour buckets are then answered from reading_1h.
  readingStoreContract('InfluxReadingStore with its hourly rollup settled', {
    async create () {
      const store = new InfluxReadingStore({ url: influxd!.url, database: `contract_${++n}`, rollups: { intervalMs: 0, now: () => T0 + 24 * 3_600_000 } })
      await store.open()
      return store
    },
    settle: async (store) => { await (store as InfluxReadingStore).rollups.settle() }
  })

  it('reports the server version and creates the database', async () => {
    const versions: string[] = []
    const store = new InfluxReadingStore({ url: influxd!.url, database: 'created_on_open', onConnect: ({ version }) => versions.push(String(version)) })
    expect(await store.server()).toEqual({ version: expect.stringMatching(/^1\./), flavor: 'v1' })
    expect(versions).toHaveLength(1)
    expect(JSON.stringify(await influxQuery(influxd!.url, 'SHOW DATABASES'))).toContain('"created_on_open"')
  })

  it('writes only `reading` with the four tags and a float `value` whatever the names hold', async () => {
    const database = `contract_${++n}`
    const store = new InfluxReadingStore({ url: influxd!.url, database, rollups: { intervalMs: 0 } })
    await store.open()
    const names = ['a,b=c d', 'line\nbreak', 'ends\\', 'q"\'', '%00']
    await store.append(names.map((name, i) => reading(name, name, name, T0 + i, i + 0.5, name)))
    const show = async (q: string): Promise<unknown> => ((await influxQuery(influxd!.url, q, database)) as { results: Array<{ series?: Array<{ values: unknown[][] }> }> })
      .results[0]?.series?.flatMap((series) => series.values)
    expect(await show('SHOW MEASUREMENTS')).toEqual([['reading']])
    expect(await show('SHOW TAG KEYS')).toEqual([['device'], ['member'], ['metric'], ['sector']])
    expect(await show('SHOW FIELD KEYS')).toEqual([['value', 'float']])
    expect(await show('SELECT count(value) FROM reading')).toEqual([[0, names.length]])
    // Stored as the tag values other tools see: only %, \ and control characters are encoded.
    expect(await show('SHOW TAG VALUES WITH KEY = member')).toEqual([
      ['member', '%2500'], ['member', 'a,b=c d'], ['member', 'ends%5C'], ['member', 'line%0Abreak'], ['member', 'q"\'']
    ])
    expect(JSON.stringify(await influxQuery(influxd!.url, 'SHOW DATABASES'))).toContain(`"${database}"`)
    // The hourly rollup carries the same tag values.
    await store.rollups.settle()
    expect(await show('SHOW MEASUREMENTS')).toEqual([['reading'], ['reading_1h'], ['reading_member_1h']])
    expect(await show('SHOW TAG VALUES FROM reading_1h WITH KEY = member')).toEqual(await show('SHOW TAG VALUES FROM reading WITH KEY = member'))
    expect(await show('SHOW TAG VALUES FROM reading_member_1h WITH KEY = member')).toEqual(await show('SHOW TAG VALUES FROM reading WITH KEY = member'))
    expect(await show('SHOW TAG VALUES FROM reading_1h WITH KEY = device')).toEqual(await show('SHOW TAG VALUES FROM reading WITH KEY = device'))
    await store.close()
  })
})
