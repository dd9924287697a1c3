import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { perturbationParams } from '../../server/compare/release/perturbation.ts'
import { type Contribution, releaseCell } from '../../server/compare/release/release-cell.ts'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

const HOUR = 3_600_000

// TSUDOI_PUBLIC_COMPARISONS=off (README, settings): the community page, comparisons and open
// data are for the hub's members only. An anonymous visitor is refused before anything else
// is looked at, whatever it asks; a member still gets its comparison with its own line.
describe('comparisons with TSUDOI_PUBLIC_COMPARISONS=off', () => {
  let t: TestHub
  const restaurants: Provisioned[] = []
  const watts = [100, 200, 300]
  const t0 = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR
  const window = `from=${t0}&to=${t0 + HOUR}&bucket=1h`

  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_PUBLIC_COMPARISONS: 'off', TSUDOI_RELEASE_GRACE: '0s', TSUDOI_TIMEZONE: 'Asia/Tokyo' })
    for (const [i, value] of watts.entries()) {
      const p = await provision(t, `resto-${i}`, 'restaurant')
      restaurants.push(p)
      const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
      await client.publishAsync(p.device.topic, JSON.stringify({ power: value, ts: t0 + 60_000 }), { qos: 1 })
      await client.endAsync()
    }
    await t.hub.drained()
    await t.hub.releaser.runOnce()
  })
  afterAll(async () => { await t?.stop() })

  const refusal = { error: { code: 'UNAUTHORIZED', message: 'comparisons are for members on this hub (TSUDOI_PUBLIC_COMPARISONS=off)' } }

  it('refuses an anonymous visitor everywhere comparisons are served, even for a query that is not valid', async () => {
    const paths = [
      `/api/compare?metric=power&sector=restaurant&${window}`,
      '/api/community',
      `/api/open-data?metric=power&sector=restaurant&${window}`,
      `/api/open-data?metric=power&sector=restaurant&${window}&format=csv`,
      '/api/compare?metric=Not%20a%20metric&bucket=7m'
    ]
    const answers = await Promise.all(paths.map(async (path) => ({ path, ...(await t.api(path)) })))
    expect(answers).toEqual(paths.map((path) => ({ path, status: 401, body: refusal })))
  })

  it('gives a member the comparison of its sector with its own line', async () => {
    const response = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`, { token: restaurants[1]!.member.accessKey })
    const params = { k: 3, secret: t.hub.registry.setting('privacy_secret')!, perturbation: perturbationParams(10) }
    const values: Contribution[] = watts.map((value, i) => ({ member: `resto-${i}`, value }))
    const bucket = releaseCell({ series: 'power', size: '1h', time: t0 }, values, params)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      metric: 'power', unit: 'W', kind: 'gauge', sector: 'restaurant', k: 3, p: 10, bucket: HOUR, timeZone: 'Asia/Tokyo', per: null,
      buckets: [bucket],
      me: {
        points: [{ time: t0, value: 200, percentile: null }],
        summary: { buckets: 1, peers: 3, value: 200, percentile: null, lowerThan: null, versusMean: Math.round(1000 * (200 / response.body.buckets[0].mean - 1)) / 10 }
      }
    })
  })

  it('gives a member the community page and open data', async () => {
    const key = restaurants[0]!.member.accessKey
    const community = await t.api('/api/community', { token: key })
    expect(community.status).toBe(200)
    expect(community.body).toEqual({
      members: { total: 3, bySector: { restaurant: 3 } },
      k: 3,
      // Every member is a restaurant: no "all sectors" pair, it would be the same chart again.
      comparable: [{ metric: 'power', sector: 'restaurant', members: 3 }],
      // live counters, not releases: how many depends on when this runs
      devicesOnline: expect.any(Number), readingsLastMinute: expect.any(Number), readingsLastHour: expect.any(Number)
    })
    const open = await t.api(`/api/open-data?metric=power&sector=restaurant&${window}`, { token: key })
    expect({ status: open.status, rows: open.body.rows.map((row: { time: number, suppressed: boolean, members: unknown }) => [row.time, row.suppressed, row.members]) })
      .toEqual({ status: 200, rows: [[t0, false, 3]] })
  })
})
