import { describe, expect, it } from 'vitest'
import { sectors } from '../../server/domain/sectors.ts'
import { Rng, hashGauss, hashUnit, rngFor } from '../../device-sim/random.ts'
import { DAY, HOUR, SUMMER_WEEK, community, times } from './helpers.ts'

const allSectors = sectors.map((sector) => ({ sector, count: 2 }))
const snapshot = (seed: number, at: readonly number[]) => {
  const c = community(allSectors, { seed })
  return {
    members: c.members.map((m) => ({ id: m.id, name: m.name, sector: m.sector, normalizers: m.normalizers, size: m.context.size, efficiency: m.context.efficiency })),
    devices: c.devices.map((d) => d.id),
    values: c.devices.map((d) => at.map((t) => d.sampler.sample(t)))
  }
}

describe('the seed', () => {
  const instants = times(SUMMER_WEEK, 2, 7 * HOUR + 13 * 60_000)

  it('reproduces the same community and the same values', () => {
    expect(snapshot(42, instants)).toEqual(snapshot(42, instants))
  })

  it('gives another community and other values when it changes', () => {
    const a = snapshot(42, instants)
    const b = snapshot(43, instants)
    expect(b.members.map((m) => m.id)).not.toEqual(a.members.map((m) => m.id))
    expect(b.members.map((m) => m.size)).not.toEqual(a.members.map((m) => m.size))
    const differing = a.values.flat().filter((v, i) => JSON.stringify(v) !== JSON.stringify(b.values.flat()[i])).length
    expect(differing).toBeGreaterThan(a.values.flat().length * 0.9)
  })

  it('gives a value that depends on its instant only, not on what was sampled before', () => {
    const forward = community(allSectors, { seed: 5 })
    const backward = community(allSectors, { seed: 5 })
    const at = times(SUMMER_WEEK, 1, HOUR)
    const a = forward.devices.map((d) => at.map((t) => d.sampler.sample(t)))
    const b = backward.devices.map((d) => [...at].reverse().map((t) => d.sampler.sample(t)).reverse())
    expect(b).toEqual(a)
  })

  it('keeps the members of a smaller community when the community grows', () => {
    const small = community([{ sector: 'restaurant' }, { sector: 'office' }], { members: 4 })
    const large = community([{ sector: 'restaurant' }, { sector: 'office' }], { members: 8 })
    for (const member of small.members) expect(large.members.map((m) => m.id)).toContain(member.id)
    const device = small.devices[0]
    const same = large.devices.find((d) => d.id === device?.id)
    expect(same?.sampler.sample(SUMMER_WEEK + DAY)).toEqual(device?.sampler.sample(SUMMER_WEEK + DAY))
  })
})

describe('the random sources', () => {
  it('mulberry32 repeats its sequence for a seed and spreads uniformly', () => {
    const a = new Rng(123)
    const b = new Rng(123)
    const draws = Array.from({ length: 10_000 }, () => a.next())
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(draws)
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
    expect(new Rng(124).next()).not.toBe(new Rng(123).next())
  })

  it('keeps named sub-streams independent', () => {
    expect(rngFor(1, 'a').next()).toBe(rngFor(1, 'a').next())
    expect(rngFor(1, 'a').next()).not.toBe(rngFor(1, 'b').next())
  })

  it('hashes times into uniform and normal numbers', () => {
    const units = Array.from({ length: 20_000 }, (_, i) => hashUnit(99, SUMMER_WEEK + i * 1000))
    expect(Math.min(...units)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...units)).toBeLessThan(1)
    const gauss = Array.from({ length: 20_000 }, (_, i) => hashGauss(7, SUMMER_WEEK + i * 1000))
    const m = gauss.reduce((s, x) => s + x, 0) / gauss.length
    const sd = Math.sqrt(gauss.reduce((s, x) => s + (x - m) ** 2, 0) / gauss.length)
    expect(Math.abs(m)).toBeLessThan(0.05)
    expect(sd).toBeGreaterThan(0.95)
    expect(sd).toBeLessThan(1.05)
  })
})
