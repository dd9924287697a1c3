import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { perturbationParams } from '../../server/compare/release/perturbation.ts'
import { releaseCell } from '../../server/compare/release/release-cell.ts'
import { type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { simulatedWeek } from './utility.ts'

// The attacks of issue 13, run against a real hub with a simulated community, each as the
// strongest attacker the issue names could run it (knowing the roster and exact member
// counts, colluding members knowing their own true values, fakes publishing zeros). Every
// attack turns published figures into estimates of one member's true bucket values; the
// suite fails unless at least 95 % of each attack's estimates are off by p % or more, and no
// long-run mean is recovered within p %. Where differencing has nothing to subtract (the
// lone member of a suppressed sector is in no published figure), the suite proves that
// instead: every figure it could use is exactly the release of the other members alone.
// docs/privacy.md says why.
//
// Community (all with seats, so normalisation differencing can be tried):
//   restaurant ×6, retail ×4, manufacturing ×5 (mfg-0 the order-statistics attacker, at 0 W),
//   office ×1 (the lone member: the sector-vs-all target), and a workshop room of three
//   attendees: two fakes publishing 0 W and one target.
const HOUR = 3_600_000
const HOURS = 48
const P = 0.10
const t0 = Math.floor(Date.now() / HOUR) * HOUR - (HOURS + 1) * HOUR
const times = Array.from({ length: HOURS }, (_, i) => t0 + i * HOUR)
const SEATS = (i: number): number => 10 + 7 * i
/** Members in "all sectors": restaurants, shops and factories — the lone office's sector is suppressed, so it is not in "all". */
const IN_ALL = 15

interface Actor { id: string, token: string, device: { id: string, token: string, topic: string }, seats: number, values: number[] }
interface Estimate { attack: string, estimate: number, truth: number }

const error = ({ estimate, truth }: Estimate): number => Math.abs(estimate - truth) / Math.abs(truth)

describe('privacy attacks on protected releases (p = 10 %)', () => {
  let t: TestHub
  const estimates: Estimate[] = []
  const community = new Map<string, Actor[]>()
  const workshop: Actor[] = []

  const values = (sector: 'restaurant' | 'retail' | 'manufacturing' | 'office', n: number, seed: number): number[][] => {
    const week = simulatedWeek(sector, n, 'power', seed, HOURS)
    return Array.from({ length: n }, (_, m) => week.hours.map((hour) => Math.max(1, Math.round(hour.values[m]!.value))))
  }
  const publishHistory = async (actor: Actor, series: number[], at = times): Promise<void> => {
    const client = await connectDevice(t.hub.mqttUrl, actor.device.id, actor.device.token)
    // One reading at the middle of each hour: its hourly mean is exactly that value.
    await client.publishAsync(actor.device.topic, JSON.stringify(series.map((power, i) => ({ power, ts: at[i]! + HOUR / 2 }))), { qos: 1 })
    await client.endAsync()
  }
  const window = `from=${t0}&to=${t0 + HOURS * HOUR}&bucket=1h`
  const compare = async (query: string, token?: string): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await t.api(`/api/compare?metric=power&${query}`, token === undefined ? {} : { token })
    expect(response.status).toBe(200)
    return response.body
  }

  /** "All sectors" as the release engine makes it from the published sectors' members only, with this hub's own secret. */
  const withoutLone = (divisor: (actor: Actor) => number): unknown[] => {
    const params = { k: 3, secret: t.hub.registry.setting('privacy_secret')!, perturbation: perturbationParams(P * 100) }
    const inAll = ['restaurant', 'retail', 'manufacturing'].flatMap((sector) => community.get(sector)!)
    expect(inAll).toHaveLength(IN_ALL)
    return times.map((time, i) => releaseCell({ series: 'power', size: '1h', time }, inAll.map((a) => ({ member: a.id, value: a.values[i]! / divisor(a) })), params))
  }

  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_RELEASE_GRACE: '0s', TSUDOI_TIMEZONE: 'Asia/Tokyo', TSUDOI_PRIVACY_P: '10' })
    const plan = [['restaurant', 6, 11], ['retail', 4, 12], ['manufacturing', 5, 13], ['office', 1, 14]] as const
    for (const [sector, n, seed] of plan) {
      const series = values(sector, n, seed)
      if (sector === 'manufacturing') series[0] = series[0]!.map(() => 0) // the attacker makes itself the lowest
      const actors: Actor[] = []
      for (let i = 0; i < n; i++) {
        const p = await provision(t, `${sector}-${i}`, sector, `${sector}-${i}-d`, { seats: SEATS(i) })
        actors.push({ id: p.member.id, token: p.member.accessKey, device: p.device, seats: SEATS(i), values: series[i]! })
      }
      community.set(sector, actors)
    }
    const room = (await t.admin('/api/admin/workshops', { name: 'Attack room', expiresAt: Date.now() + 86_400_000 })).body
    const target = values('office', 1, 15)[0]!
    for (const [name, series] of [['fake-1', target.map(() => 0)], ['fake-2', target.map(() => 0)], ['target', target]] as const) {
      const joined = (await t.api('/api/join', { body: { code: room.code, name, sector: 'office' } })).body
      workshop.push({ id: joined.member.id, token: joined.member.accessKey, device: { id: joined.device.id, token: joined.device.token, topic: joined.device.mqtt.topic }, seats: 0, values: [...series] })
    }
    for (const actor of [...[...community.values()].flat(), ...workshop]) await publishHistory(actor, actor.values)
    await t.hub.releaser.runOnce()
  }, 120_000)
  afterAll(async () => { await t?.stop() })

  it('sector against all: the lone office member, colluding with retail and manufacturing, knowing every count', async () => {
    const [all, restaurant, retail] = await Promise.all(['all', 'restaurant', 'retail'].map((sector) => compare(`sector=${sector}&${window}`)))
    const office = await compare(`sector=office&${window}`)
    expect(office.buckets.every((b: { suppressed?: boolean }) => b.suppressed === true)).toBe(true)
    const lone = community.get('office')![0]!
    const retailTrue = (i: number): number => community.get('retail')!.reduce((sum, a) => sum + a.values[i]!, 0)
    times.forEach((_, i) => {
      const a = all.buckets[i]
      const r = restaurant.buckets[i]
      if (a.mean === undefined || r.mean === undefined) return
      // n_all·mean_all − n_restaurant·mean_restaurant − retail (published, or the colluders'
      // own sum) − manufacturing (colluders: their true values) = the office member — if
      // "all" held it. It is made of the published sectors only (docs/privacy.md), and the
      // attacker, knowing the roster and that rule, counts the 15 it holds.
      const rest = retail.buckets[i].mean === undefined ? retailTrue(i) : 4 * retail.buckets[i].mean
      const manufacturing = community.get('manufacturing')!.reduce((sum, m) => sum + m.values[i]!, 0)
      estimates.push({ attack: 'sector-vs-all', estimate: IN_ALL * a.mean - 6 * r.mean - rest - manufacturing, truth: lone.values[i]! })
    })
    expect(estimates.filter((e) => e.attack === 'sector-vs-all').length).toBeGreaterThan(HOURS / 2)
    // The lone member is in no figure: "all sectors" is, bucket by bucket, the release of the
    // fifteen members of the published sectors alone — so any estimate made from it is the
    // same whatever the lone member used, and carries nothing about it.
    expect(all.buckets).toEqual(withoutLone(() => 1))
  })

  it('fake members from one join code: the third attendee from three times the mean, hourly and daily', async () => {
    const [fake, , target] = workshop
    const room = await compare(window, fake!.token)
    times.forEach((_, i) => {
      const bucket = room.buckets[i]
      expect(bucket.suppressed).toBeUndefined()
      estimates.push({ attack: 'fakes-1h', estimate: 3 * bucket.mean, truth: target!.values[i]! })
    })
    const days = await compare(`from=${t0}&to=${t0 + HOURS * HOUR}&bucket=1d`, fake!.token)
    for (const day of days.buckets.filter((b: { mean?: number }) => b.mean !== undefined)) {
      const inDay = times.flatMap((time, i) => time >= day.time && time < day.time + 24 * HOUR ? [target!.values[i]!] : [])
      if (inDay.length === 24) estimates.push({ attack: 'fakes-1d', estimate: 3 * day.mean, truth: inDay.reduce((a, b) => a + b, 0) / 24 })
    }
  })

  it('backdated readings of fakes after the release change nothing', async () => {
    const [fake] = workshop
    const before = await compare(window, fake!.token)
    await publishHistory(fake!, times.map(() => 5000), times.map((time) => time + 60_000))
    await t.hub.releaser.runOnce()
    const after = await compare(window, fake!.token)
    expect(after.buckets).toEqual(before.buckets)
  })

  it('order statistics with the mean: a cohort of five publishes no quantile, and its mean hides the one member the others do not know', async () => {
    const sector = await compare(`sector=manufacturing&${window}`)
    const [, ...others] = community.get('manufacturing')!
    const target = others.pop()!
    times.forEach((_, i) => {
      const b = sector.buckets[i]
      // The attack of the issue read three members from p25, p50 and p75 of five: none is published under 10.
      expect([b.p10, b.p25, b.p50, b.p75, b.p90]).toEqual([undefined, undefined, undefined, undefined, undefined])
      // The lowest member (at 0) and three colluders, knowing their true values, read the fifth off the mean.
      estimates.push({ attack: 'order-mean', estimate: 5 * b.mean - others.reduce((sum, a) => sum + a.values[i]!, 0), truth: target.values[i]! })
    })
    expect(estimates.filter((e) => e.attack === 'order-mean').length).toBe(HOURS)
  })

  it('normalisation differencing: per seat against per member, divisors known', async () => {
    const [all, restaurant] = await Promise.all(['all', 'restaurant'].map((sector) => compare(`sector=${sector}&per=seat&${window}`)))
    const lone = community.get('office')![0]!
    const colluders = ['retail', 'manufacturing'].flatMap((sector) => community.get(sector)!)
    times.forEach((_, i) => {
      if (all.buckets[i].mean === undefined || restaurant.buckets[i].mean === undefined) return
      const perSeat = IN_ALL * all.buckets[i].mean - 6 * restaurant.buckets[i].mean - colluders.reduce((sum, a) => sum + a.values[i]! / a.seats, 0)
      estimates.push({ attack: 'per-seat', estimate: perSeat * lone.seats, truth: lone.values[i]! })
    })
    expect(all.buckets).toEqual(withoutLone((actor) => actor.seats))
  })

  it('consent withdrawal and toggling: open data before and after, and nothing to subtract', async () => {
    const target = community.get('restaurant')![0]!
    const before = (await t.api(`/api/open-data?metric=power&sector=restaurant&${window}`)).body
    await t.admin(`/api/admin/members/${target.id}`, { sharing: false }, 'PATCH')
    await t.hub.releaser.runOnce()
    const after = (await t.api(`/api/open-data?metric=power&sector=restaurant&${window}`)).body
    await t.admin(`/api/admin/members/${target.id}`, { sharing: true }, 'PATCH')
    await t.hub.releaser.runOnce()
    const again = (await t.api(`/api/open-data?metric=power&sector=restaurant&${window}`)).body
    expect(after).toEqual(before)
    expect(again).toEqual(before)
    before.rows.forEach((row: { mean: number | null }, i: number) => {
      if (row.mean === null) return
      estimates.push({ attack: 'consent', estimate: 6 * row.mean - 5 * after.rows[i].mean, truth: target.values[i]! })
    })
  })

  it('repeated and reordered queries give the very same figures', async () => {
    const whole = await compare(`sector=all&${window}`)
    const halves = [
      ...(await compare(`sector=all&from=${t0 + 24 * HOUR}&to=${t0 + HOURS * HOUR}&bucket=1h`)).buckets,
      ...(await compare(`sector=all&from=${t0}&to=${t0 + 24 * HOUR}&bucket=1h`)).buckets
    ].sort((a: { time: number }, b: { time: number }) => a.time - b.time)
    expect(halves).toEqual(whole.buckets)
    expect(await compare(`sector=all&${window}`)).toEqual(whole)
  })

  it('refuses free bucket sizes (2h against 1h isolated a suppressed hour)', async () => {
    for (const bucket of ['2h', '90m', '3h', '12h']) {
      expect((await t.api(`/api/compare?metric=power&sector=office&from=${t0}&to=${t0 + 4 * HOUR}&bucket=${bucket}`)).status).toBe(400)
    }
  })

  // Every attack whose estimates depend on its target must put ≥ 95 % of them p % or more
  // away. The two differencing attacks on the lone office member are printed but not held to
  // it: the tests above prove their figures are the releases of the other members alone, so
  // those estimates are the same whatever the target used, and land near it only by
  // coincidence (up to 23 % of hours for some keys: docs/privacy.md).
  it('keeps ≥ 95 % of every attack\'s estimates off by p % or more, and the long-run means too', () => {
    const byAttack = new Map<string, number[]>()
    for (const e of estimates) byAttack.set(e.attack, [...(byAttack.get(e.attack) ?? []), error(e)])
    const report = [...byAttack].map(([attack, errors]) => {
      const sorted = [...errors].sort((a, b) => a - b)
      return `${attack}: n=${errors.length} off≥p ${(100 * errors.filter((x) => x >= P).length / errors.length).toFixed(0)}% median error ${(100 * sorted[Math.floor(sorted.length / 2)]!).toFixed(1)}%`
    })
    console.log(`privacy attacks\n  ${report.join('\n  ')}`)
    const held = ['fakes-1h', 'fakes-1d', 'consent', 'order-mean']
    expect([...byAttack.keys()].sort()).toEqual([...held, 'per-seat', 'sector-vs-all'].sort())
    for (const attack of held) {
      const errors = byAttack.get(attack)!
      expect(errors.filter((x) => x >= P).length / errors.length, attack).toBeGreaterThanOrEqual(0.95)
    }
    // Long-run averaging: each attack's estimates of its target, averaged over every hour.
    for (const attack of ['fakes-1h', 'consent', 'order-mean']) {
      const list = estimates.filter((e) => e.attack === attack)
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
      expect(error({ attack, estimate: mean(list.map((e) => e.estimate)), truth: mean(list.map((e) => e.truth)) }), attack).toBeGreaterThanOrEqual(P)
    }
  })
})
