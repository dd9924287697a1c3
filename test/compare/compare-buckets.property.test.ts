import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isSuppressed } from '../../server/compare/bucket-stats.ts'
import { type CompareOptions, compareBuckets } from '../../server/compare/compare-buckets.ts'
import type { MemberBucketValue } from '../../server/store/reading-store.ts'
import { HOUR, T0 } from './fixtures.ts'

// Data sets built so that a coincidence cannot pass for a leak: within a bucket every value
// is distinct; counted members have powers of two (after normalisation) and excluded members
// 8/7 of a power of two. A mean of 3 or more distinct powers of two is never a power of two,
// nor 8/7 of one, and an interpolation between two of them is never either — so a published
// figure equal to some member's value can only be an order statistic, which is what we check.
const GRID = [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]
const RUNS = { numRuns: 300 }

const idArb = fc.stringMatching(/^[0-9a-f]{8}$/).map((hex) => `mbr-${hex}`)

const bucketArb = (pool: string[]) => fc.shuffledSubarray(pool).chain((members) => fc.record({
  members: fc.constant(members),
  exponents: fc.uniqueArray(fc.integer({ min: 10, max: 40 }), { minLength: members.length, maxLength: members.length })
}))

const scenarioArb = fc.record({ k: fc.integer({ min: 3, max: 6 }), pool: fc.uniqueArray(idArb, { minLength: 1, maxLength: 14 }) })
  .chain(({ k, pool }) => fc.record({
    k: fc.constant(k),
    pool: fc.constant(pool),
    peers: fc.option(fc.subarray(pool), { nil: undefined }),
    caller: fc.option(fc.constantFrom(...pool), { nil: undefined }),
    divisorExponents: fc.option(fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), { minLength: pool.length, maxLength: pool.length }), { nil: undefined }),
    buckets: fc.array(bucketArb(pool), { minLength: GRID.length, maxLength: GRID.length })
  }))
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never

interface Built { values: MemberBucketValue[], options: CompareOptions & { times: number[] }, individual: Set<number>, counted: (member: string) => boolean }

function build (s: Scenario): Built {
  const divisors = s.divisorExponents === undefined
    ? undefined
    : new Map(s.pool.flatMap((id, i) => { const e = s.divisorExponents?.[i]; return e === null || e === undefined ? [] : [[id, 2 ** e] as const] }))
  const peers = s.peers === undefined ? undefined : new Set(s.peers)
  const counted = (member: string): boolean => (peers === undefined || peers.has(member)) && (divisors === undefined || divisors.has(member))
  const values: MemberBucketValue[] = []
  const individual = new Set<number>()
  s.buckets.forEach((bucket, b) => bucket.members.forEach((member, i) => {
    const target = 2 ** (bucket.exponents[i] ?? 0) * (counted(member) ? 1 : 8 / 7)
    const value = target * (divisors?.get(member) ?? 1)
    values.push({ time: GRID[b] ?? 0, member, value })
    individual.add(value).add(target)
  }))
  return { values, individual, counted, options: { k: s.k, peers, divisors, caller: s.caller, times: GRID } }
}

/** Every number in a result, with its path ("buckets.2.p50"). */
function numbers (value: unknown, path = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]]
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) => numbers(inner, path === '' ? key : `${path}.${key}`))
}

describe('compareBuckets properties', () => {
  it('gives a suppressed bucket exactly time/members/suppressed, and a shown one the figures its count allows', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { values, options } = build(s)
      for (const bucket of compareBuckets(values, options).buckets) {
        if (bucket.members < s.k) {
          expect(bucket).toEqual({ time: bucket.time, members: bucket.members, suppressed: true })
          expect(Object.keys(bucket).sort()).toEqual(['members', 'suppressed', 'time'])
        } else {
          const keys = ['time', 'members', ...(bucket.members >= 10 ? ['p10'] : []), ...(bucket.members >= 5 ? ['p25'] : []), 'p50',
            ...(bucket.members >= 5 ? ['p75'] : []), ...(bucket.members >= 10 ? ['p90'] : []), 'mean']
          expect(Object.keys(bucket)).toEqual(keys)
        }
      }
    }), RUNS)
  })

  it('publishes no member\'s value except the caller\'s own and order statistics of >= k values', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { values, options, individual } = build(s)
      const result = compareBuckets(values, options)
      const own = new Set(result.me?.points.map((point) => point.value))
      for (const [path, n] of numbers(result)) {
        if (!individual.has(n)) continue
        if (/^me\.points\.\d+\.value$/.test(path) || path === 'me.summary.value') {
          expect(own.has(n) || path === 'me.summary.value', path).toBe(true)
          continue
        }
        const quantile = /^buckets\.(\d+)\.p(10|25|50|75|90)$/.exec(path)
        expect(quantile, `${path} = ${n} is a member's value`).not.toBeNull()
        const bucket = result.buckets[Number(quantile?.[1])]
        expect(bucket !== undefined && bucket.members >= s.k).toBe(true)
        // h = (members - 1) · p / 100 is whole: the figure is the order statistic x[h].
        expect((((bucket?.members ?? 0) - 1) * Number(quantile?.[2])) % 100, path).toBe(0)
      }
    }), RUNS)
  })

  it('changes nothing but members when one member joins or leaves a bucket below k', () => {
    fc.assert(fc.property(scenarioArb, fc.nat(), (s, pick) => {
      const { values, options, counted } = build(s)
      const base = compareBuckets(values, options)
      const below = base.buckets.filter(isSuppressed)
      fc.pre(below.length > 0)
      const target = below[pick % below.length]!
      const index = base.buckets.indexOf(target)
      const withMembers = (members: number): unknown => ({ ...base, buckets: base.buckets.map((bucket, i) => i === index ? { ...bucket, members } : bucket) })

      const leaving = values.filter((row) => row.time === target.time && row.member !== s.caller && counted(row.member))
      const leaver = leaving[pick % Math.max(1, leaving.length)]
      if (leaver !== undefined) {
        expect(compareBuckets(values.filter((row) => row !== leaver), options)).toEqual(withMembers(target.members - 1))
      }
      if (target.members + 1 < s.k) {
        const newcomer = 'mbr-newcomer'
        const joined: CompareOptions = {
          ...options,
          peers: options.peers && new Set([...options.peers, newcomer]),
          divisors: options.divisors && new Map([...options.divisors, [newcomer, 1]])
        }
        expect(compareBuckets([...values, { time: target.time, member: newcomer, value: 3 }], joined)).toEqual(withMembers(target.members + 1))
      }
    }), RUNS)
  })

  it('never names a member', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { values, options } = build(s)
      const text = JSON.stringify(compareBuckets(values, options))
      for (const id of s.pool) expect(text).not.toContain(id)
    }), RUNS)
  })

  it('ranks the caller within 0–100 and keeps the quantiles in order', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { values, options } = build(s)
      const result = compareBuckets(values, options)
      for (const point of result.me?.points ?? []) {
        if (point.percentile !== null) expect(point.percentile >= 0 && point.percentile <= 100).toBe(true)
      }
      for (const bucket of result.buckets) {
        if (isSuppressed(bucket)) continue
        const ordered = [bucket.p10, bucket.p25, bucket.p50, bucket.p75, bucket.p90].filter((n) => n !== undefined)
        expect(ordered).toEqual([...ordered].sort((a, b) => a - b))
      }
    }), RUNS)
  })
})
