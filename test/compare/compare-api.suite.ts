import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { perturbationParams } from '../../server/compare/release/perturbation.ts'
import { type Contribution, type ReleaseParams, releaseCell } from '../../server/compare/release/release-cell.ts'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

const HOUR = 3_600_000

/**
 * Five restaurants, three offices and two shops publish real MQTT readings; the hub releases
 * each closed hour once (no grace here) and every view is served from those releases:
 * restaurants are shown perturbed, shops are suppressed (2 < k), and offices too — secondary
 * suppression, or "all" minus the restaurants would give the two shops away.
 */
export function compareApiSuite (name: string, env: () => Record<string, string>) {
  describe(`comparisons through a real hub (${name})`, () => {
    let t: TestHub
    let params: ReleaseParams
    const restaurants: Provisioned[] = []
    const t0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR
    const power = [100, 200, 300, 400, 1000]
    const window = `from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`
    const cell = (time: number, values: Contribution[]) => releaseCell({ series: 'power', size: '1h', time }, values, params)
    const restaurantValues = (hour: 0 | 1, divide = (_: number) => 1): Contribution[] =>
      power.map((watts, i) => ({ member: `resto-${i}`, value: (hour === 0 ? watts : 2 * watts) / divide(i) }))

    beforeAll(async () => {
      t = await startTestHub({ ...env(), TSUDOI_RELEASE_GRACE: '0s', TSUDOI_TIMEZONE: 'Asia/Tokyo' })
      for (let i = 0; i < 5; i++) restaurants.push(await provision(t, `resto-${i}`, 'restaurant', `resto-${i}-d1`, { seats: 10 * (i + 1) }))
      const shops = [await provision(t, 'shop-0', 'retail'), await provision(t, 'shop-1', 'retail')]
      const offices = [await provision(t, 'office-0', 'office'), await provision(t, 'office-1', 'office'), await provision(t, 'office-2', 'office')]
      const all = [...restaurants.map((p, i) => [p, power[i]!] as const), ...shops.map((p, i) => [p, 50 + i] as const), ...offices.map((p, i) => [p, 70 + 10 * i] as const)]
      for (const [p, watts] of all) {
        const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
        // Two readings in hour 0 whose mean is `watts`, one in hour 1 at twice that.
        await client.publishAsync(p.device.topic, JSON.stringify([
          { power: watts - 10, ts: t0 + 60_000 }, { power: watts + 10, ts: t0 + 120_000 }, { power: watts * 2, ts: t0 + HOUR + 60_000 }
        ]), { qos: 1 })
        client.end(true)
      }
      await t.hub.drained()
      await t.hub.releaser.runOnce()
      params = { k: 3, secret: t.hub.registry.setting('privacy_secret')!, perturbation: perturbationParams(10) }
    })
    afterAll(async () => { await t?.stop() })

    it('shows the release of a sector with enough members: perturbed, banded, never an exact value', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({
        metric: 'power', unit: 'W', kind: 'gauge', sector: 'restaurant', k: 3, p: 10, bucket: HOUR, timeZone: 'Asia/Tokyo', per: null,
        buckets: [cell(t0, restaurantValues(0)), cell(t0 + HOUR, restaurantValues(1))]
      })
      expect(response.body.buckets[0]).toMatchObject({ members: 5, membersBand: '5–9' })
      const text = JSON.stringify(response.body)
      expect(text).not.toMatch(/resto-|"members":[^5]/)
      for (const exact of [100, 200, 300, 400, 1000, 2000, 600, 800]) expect(text).not.toMatch(new RegExp(`[:\\[,]${exact}[,\\]}]`))
    })

    it('answers a repeated query with the same bytes', async () => {
      const a = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`)
      const b = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`)
      expect(b.body).toEqual(a.body)
    })

    it('suppresses a sector below k, saying only "suppressed", and leaves it out of "all sectors"', async () => {
      const retail = await t.api(`/api/compare?metric=power&sector=retail&${window}`)
      expect(retail.body.buckets).toEqual([{ time: t0, suppressed: true }, { time: t0 + HOUR, suppressed: true }])
      const office = await t.api(`/api/compare?metric=power&sector=office&${window}`)
      expect(office.body.buckets[0]).toMatchObject({ members: 3, membersBand: '3–4' })
      // "All sectors" holds the published sectors only (8 members, not 10): all − restaurants −
      // offices is nobody, so nothing of the two shops can be subtracted out of it.
      const all = await t.api(`/api/compare?metric=power&sector=all&${window}`)
      const offices = [70, 80, 90].map((watts, i) => ({ member: `office-${i}`, value: watts }))
      expect(all.body.buckets[0]).toEqual(cell(t0, [...restaurantValues(0), ...offices]))
      expect(all.body.buckets[0]).toMatchObject({ members: 5, membersBand: '5–9' })
    })

    it('gives a member its own values unperturbed, and its standing against the published mean (five members: no quantile)', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`, { token: restaurants[3]!.member.accessKey })
      expect(response.body.me.points).toEqual([
        { time: t0, value: 400, percentile: null },
        { time: t0 + HOUR, value: 800, percentile: null }
      ])
      const published = (response.body.buckets[0].mean + response.body.buckets[1].mean) / 2
      expect(response.body.me.summary).toEqual({
        buckets: 2, peers: 5, value: 600, percentile: null, lowerThan: null, versusMean: Math.round(1000 * (600 / published - 1)) / 10
      })
    })

    it('normalizes per seat with the members\' same factors', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&per=seat&${window}`)
      expect(response.body.buckets[0]).toEqual(cell(t0, restaurantValues(0, (i) => 10 * (i + 1))))
    })

    it('refuses bucket sizes off the 1h/1d/1w grid', async () => {
      for (const bucket of ['2h', '30m', '7d', '1m']) {
        const response = await t.api(`/api/compare?metric=power&sector=restaurant&from=${t0}&to=${t0 + 2 * HOUR}&bucket=${bucket}`)
        expect(response.status).toBe(400)
        expect(response.body.error.code).toBe('VALIDATION_FAILED')
      }
    })

    it('counts the community and offers only comparisons that are shown', async () => {
      const response = await t.api('/api/community')
      expect(response.body).toMatchObject({ members: { total: 10, bySector: { office: 3, restaurant: 5 } }, k: 3 })
      expect(response.body.comparable).toEqual([
        { metric: 'power', sector: 'all', members: 5 }, { metric: 'power', sector: 'office', members: 3 }, { metric: 'power', sector: 'restaurant', members: 5 }
      ])
    })

    it('exports the same releases as open data', async () => {
      const csv = await t.api(`/api/open-data?metric=power&sector=restaurant&${window}&format=csv`)
      expect(csv.body.split('\n')[0]!.split(',')).toEqual(expect.arrayContaining(['time', 'k', 'p', 'members', 'p50', 'mean_low']))
      expect(csv.body).toContain(',5–9,')
      const json = await t.api(`/api/open-data?metric=power&sector=retail&${window}`)
      expect(json.body).toMatchObject({ k: 3, p: 10, method: expect.any(String), metric: 'power' })
      expect(json.body.rows.map((row: { suppressed: boolean, members: unknown }) => [row.suppressed, row.members])).toEqual([[true, null], [true, null]])
    })
  })
}
