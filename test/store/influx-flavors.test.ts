import { createServer, type IncomingMessage, type Server } from 'node:http'
import { gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeTag, encodeTag, literal } from '../../server/store/influx/escape.ts'
import { flavorOf } from '../../server/store/influx/http.ts'
import { InfluxReadingStore } from '../../server/store/influx/store.ts'
import { T0, reading } from './reading-store.contract.ts'

// What the store sends to 2.x and 3.x (no such server can be installed on this machine): a
// stand-in that answers /ping with their version header and records every request. 1.x runs for
// real in influx.test.ts; how the hub treats 2.x/3.x error answers, and the hourly rollup through
// them, are tested against test/helpers/influx-stub.ts (influx-stub-*.test.ts).
// The hourly rollup's loop is off (it would add its own queries to the recorded ones).
const manual = { intervalMs: 0 }

interface Seen { method: string, url: string, authorization?: string, body: string }

let server: Server | undefined
afterEach(async () => {
  const running = server
  server = undefined
  running?.closeAllConnections()
  if (running !== undefined) await new Promise((resolve) => running.close(resolve))
})

async function fakeInflux (version: string): Promise<{ url: string, seen: Seen[] }> {
  const seen: Seen[] = []
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString()
      seen.push({ method: request.method ?? '', url: request.url ?? '', body, ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }) })
      response.setHeader('X-Influxdb-Version', version)
      if (request.url?.startsWith('/query') === true) {
        response.setHeader('Content-Type', 'application/json')
        response.end('{"results":[{"statement_id":0}]}')
      } else {
        response.statusCode = 204
        response.end()
      }
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`, seen }
}

describe('InfluxDB versions', () => {
  it('tells 1.x, 2.x and 3.x apart by X-Influxdb-Version (none: Cloud, a 2.x API)', () => {
    expect(['1.6.7~rc0', '1.8.10', 'v2.7.11', '2.0.0', '3.2.1', undefined].map(flavorOf)).toEqual(['v1', 'v1', 'v2', 'v2', 'v3', 'v2'])
  })

  it('2.x: writes to /api/v2/write with the bucket and a Token, deletes through /api/v2/delete', async () => {
    const { url, seen } = await fakeInflux('v2.7.11')
    const store = new InfluxReadingStore({ url: `${url}/`, database: 'tsudoi', token: 's3cret', rollups: manual })
    await store.open()
    await store.append([reading('a b', 'd"1', 'temperature', T0, 21.5)])
    await store.deleteMember('x"y\\z')
    expect(seen).toEqual([
      { method: 'GET', url: '/ping', authorization: 'Token s3cret', body: '' },
      { method: 'POST', url: '/api/v2/write?bucket=tsudoi&precision=ms', authorization: 'Token s3cret',
        body: `reading,device=d"1,member=a\\ b,metric=temperature,sector=accommodation value=21.5 ${T0}` },
      { method: 'POST', url: '/api/v2/delete?bucket=tsudoi', authorization: 'Token s3cret',
        body: JSON.stringify({ start: '1677-09-21T00:12:43.145224194Z', stop: '2262-04-11T23:47:16.854775806Z', predicate: '_measurement="reading" AND member="x\\"y%5Cz"' }) },
      // The hourly rollups too: a 2.x delete predicate takes no OR.
      ...['reading_1h', 'reading_member_1h'].map((measurement) => ({ method: 'POST', url: '/api/v2/delete?bucket=tsudoi', authorization: 'Token s3cret',
        body: JSON.stringify({ start: '1677-09-21T00:12:43.145224194Z', stop: '2262-04-11T23:47:16.854775806Z', predicate: `_measurement="${measurement}" AND member="x\\"y%5Cz"` }) }))
    ])
  })

  it('3.x: writes through /api/v2/write, queries InfluxQL over GET /query, refuses a member deletion', async () => {
    const { url, seen } = await fakeInflux('3.2.1')
    const store = new InfluxReadingStore({ url, database: 'tsudoi', token: 't', rollups: manual })
    await store.append([reading('m', 'd', 'co2', T0, 400)])
    expect(await store.readings({ member: 'm', from: T0, to: T0 + 1, limit: 5 })).toEqual([])
    await expect(store.deleteMember('m')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' })
    expect(seen.map((s) => `${s.method} ${s.url.split('?')[0]!}`)).toEqual(['GET /ping', 'POST /api/v2/write', 'GET /query'])
    expect(new URL(seen[2]!.url, url).searchParams.get('q'))
      .toBe(`SELECT "value", "device", "sector", "metric" FROM "reading" WHERE "member" = 'm' AND time >= ${T0}ms AND time < ${T0 + 1}ms ORDER BY time DESC LIMIT 5`)
  })

  it('1.x with credentials: u/p on /write and /query, the database created over POST', async () => {
    const { url, seen } = await fakeInflux('1.8.10')
    const store = new InfluxReadingStore({ url, database: 'tsu"doi', username: 'hub', password: 'p&w', rollups: manual })
    await store.append([reading('m', 'd', 'co2', T0, 400)])
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['GET', '/ping', ''],
      ['POST', '/query', 'db=tsu%22doi&epoch=ms&q=CREATE+DATABASE+%22tsu%5C%22doi%22&u=hub&p=p%26w'],
      ['POST', '/write?db=tsu%22doi&precision=ms&u=hub&p=p%26w', `reading,device=d,member=m,metric=co2,sector=accommodation value=400 ${T0}`]
    ])
  })
})

describe('escaping', () => {
  it('tag encoding is reversible for any string and leaves ordinary names alone', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => decodeTag(encodeTag(text)) === text))
    expect(encodeTag('ryokan-a_1 漁協')).toBe('ryokan-a_1 漁協')
    expect(encodeTag('50%\\\n\t')).toBe('50%25%5C%0A%09')
  })
  it('InfluxQL literals escape only what the scanner knows', () => {
    expect(literal('it\'s "x" \\ \n')).toBe('\'it\\\'s "x" \\\\ \\n\'')
  })
})
