import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

const HOUR = 3_600_000

/**
 * Five restaurants and two shops publish real MQTT readings; restaurants can be compared,
 * shops are suppressed, and a member's own line matches what it sent.
 */
export function compareApiSuite (name: string, env: () => Record<string, string>) {
  describe(`comparisons through a real hub (${name})`, () => {
    let t: TestHub
    const restaurants: Provisioned[] = []
    const shops: Provisioned[] = []
    const t0 = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR
    const power = [100, 200, 300, 400, 1000]

    beforeAll(async () => {
      t = await startTestHub(env())
      for (let i = 0; i < 5; i++) restaurants.push(await provision(t, `resto-${i}`, 'restaurant', `resto-${i}-d1`, { seats: 10 * (i + 1) }))
      for (let i = 0; i < 2; i++) shops.push(await provision(t, `shop-${i}`, 'retail'))
      const all = [...restaurants.map((p, i) => [p, power[i]!] as const), ...shops.map((p, i) => [p, 50 + i] as const)]
      for (const [p, watts] of all) {
        const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
        // Two readings in hour 0 whose mean is `watts`, one in hour 1 at twice that.
        await client.publishAsync(p.device.topic, JSON.stringify([
          { power: watts - 10, ts: t0 + 60_000 }, { power: watts + 10, ts: t0 + 120_000 }, { power: watts * 2, ts: t0 + HOUR + 60_000 }
        ]), { qos: 1 })
        client.end(true)
      }
      await t.hub.drained()
    })
    afterAll(async () => { await t?.stop() })

    const window = `from=${t0}&to=${t0 + 2 * HOUR}&bucket=1h`

    it('shows the distribution of a sector with enough members, and nothing individual', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`)
      expect(response.status).toBe(200)
      expect(response.body).toEqual({
        metric: 'power', unit: 'W', kind: 'gauge', sector: 'restaurant', k: 3, bucket: HOUR, per: null,
        buckets: [
          { time: t0, members: 5, p25: 200, p50: 300, p75: 400, mean: 400 },
          { time: t0 + HOUR, members: 5, p25: 400, p50: 600, p75: 800, mean: 800 }
        ]
      })
      expect(JSON.stringify(response.body)).not.toMatch(/resto-|\b1000\b|\b2000\b|\b990\b|\b1010\b/)
    })

    it('suppresses a sector with fewer than k members', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=retail&${window}`)
      expect(response.body.buckets).toEqual([
        { time: t0, members: 2, suppressed: true },
        { time: t0 + HOUR, members: 2, suppressed: true }
      ])
      expect(JSON.stringify(response.body)).not.toMatch(/shop-|\b50\b|\b51\b/)
    })

    it('gives a member its own values and ranks', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&${window}`, { token: restaurants[3]!.member.accessKey })
      expect(response.body.me.points).toEqual([
        { time: t0, value: 400, percentile: 75 },
        { time: t0 + HOUR, value: 800, percentile: 75 }
      ])
      expect(response.body.me.summary).toMatchObject({ buckets: 2, percentile: 75 })
    })

    it('normalizes per seat, counting only members that gave the figure', async () => {
      const response = await t.api(`/api/compare?metric=power&sector=restaurant&per=seat&${window}`)
      // 100/10, 200/20, 300/30, 400/40, 1000/50 → 10, 10, 10, 10, 20
      expect(response.body.buckets[0]).toEqual({ time: t0, members: 5, p25: 10, p50: 10, p75: 10, mean: 12 })
    })

    it('counts the community without revealing small sectors', async () => {
      const response = await t.api('/api/community')
      expect(response.body).toMatchObject({ members: { total: 7, bySector: { restaurant: 5 } }, k: 3, readingsLastMinute: 21, readingsLastHour: 21 })
      expect(response.body.comparable).toEqual(expect.arrayContaining([{ metric: 'power', sector: 'restaurant', members: 5 }, { metric: 'power', sector: 'all', members: 7 }]))
      expect(response.body.comparable).not.toContainEqual(expect.objectContaining({ sector: 'retail' }))
    })

    it('exports the same aggregates as open data', async () => {
      const csv = await t.api(`/api/open-data?metric=power&sector=restaurant&${window}&format=csv`)
      expect(csv.body.split("\n")[0]!.split(",")).toEqual(expect.arrayContaining(["time", "k", "members", "p50"]))
      expect(csv.body).toContain(',5,')
      const json = await t.api(`/api/open-data?metric=power&sector=retail&${window}`)
      expect(json.body).toMatchObject({ k: 3, method: expect.any(String), metric: 'power' })
      expect(JSON.stringify(json.body)).not.toMatch(/\b50\b|\b51\b/)
    })
  })
}


