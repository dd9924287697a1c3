import { describe, expect, it } from 'vitest'
import { compareBuckets } from '../../server/compare/compare-buckets.ts'
import { HOUR, T0, rows } from './fixtures.ts'

const T1 = T0 + HOUR
const T2 = T0 + 2 * HOUR

describe('compareBuckets', () => {
  it('summarises each bucket and suppresses those below k', () => {
    const values = [...rows(T0, { a: 10, b: 20, c: 30, d: 40 }), ...rows(T1, { a: 5, b: 15 })]
    expect(compareBuckets(values, { k: 3 })).toEqual({
      buckets: [
        { time: T0, members: 4, p50: 25, mean: 25 },
        { time: T1, members: 2, suppressed: true }
      ]
    })
  })

  it('orders buckets by time whatever the input order', () => {
    const values = [...rows(T1, { a: 1, b: 2, c: 3 }), ...rows(T0, { a: 4, b: 5, c: 6 })]
    expect(compareBuckets(values, { k: 3 }).buckets.map((bucket) => bucket.time)).toEqual([T0, T1])
  })

  it('reports every requested time, empty ones as suppressed with 0 members', () => {
    expect(compareBuckets(rows(T1, { a: 1, b: 2, c: 3 }), { k: 3, times: [T0, T1, T2] })).toEqual({
      buckets: [
        { time: T0, members: 0, suppressed: true },
        { time: T1, members: 3, p50: 2, mean: 2 },
        { time: T2, members: 0, suppressed: true }
      ]
    })
  })

  it('counts a member once when the store repeats it in a bucket', () => {
    const values = [...rows(T0, { a: 1, b: 2 }), ...rows(T0, { a: 3 })]
    expect(compareBuckets(values, { k: 3 })).toEqual({ buckets: [{ time: T0, members: 2, suppressed: true }] })
  })

  it('refuses k below 3', () => {
    expect(() => compareBuckets(rows(T0, { a: 1, b: 2, c: 3 }), { k: 2 })).toThrow(RangeError)
  })

  it('gives no "me" to a caller without values', () => {
    const result = compareBuckets(rows(T0, { a: 1, b: 2, c: 3 }), { k: 3, caller: 'z' })
    expect(result).toEqual({ buckets: [{ time: T0, members: 3, p50: 2, mean: 2 }] })
    expect('me' in result).toBe(false)
  })
})

describe('compareBuckets: the caller', () => {
  it('gets its value and rank among the others, none where suppressed', () => {
    const values = [...rows(T0, { a: 10, b: 20, c: 30, d: 40 }), ...rows(T1, { a: 5, b: 15 })]
    expect(compareBuckets(values, { k: 3, caller: 'b' }).me).toEqual({
      points: [
        { time: T0, value: 20, percentile: 100 / 3 }, // a is below; c and d are above
        { time: T1, value: 15, percentile: null }
      ],
      summary: { buckets: 1, percentile: 100 / 3, lowerThan: 200 / 3, peers: 3, value: 20 }
    })
  })

  it('summarises over compared buckets: mean rank, and window means of the peers', () => {
    const values = [
      ...rows(T0, { me: 10, p: 20, q: 30 }), // rank 0
      ...rows(T1, { me: 40, p: 20, q: 40 }), // p below, q tied → 75
      ...rows(T2, { me: 1000, p: 1 }) // suppressed: counts for nothing in the summary
    ]
    expect(compareBuckets(values, { k: 3, caller: 'me' }).me).toEqual({
      points: [
        { time: T0, value: 10, percentile: 0 },
        { time: T1, value: 40, percentile: 75 },
        { time: T2, value: 1000, percentile: null }
      ],
      // window means: me 25, p 20, q 35 → me is lower than q only (1 of 2)
      summary: { buckets: 2, percentile: 37.5, lowerThan: 50, peers: 2, value: 25 }
    })
  })

  it('counts ties half in lowerThan', () => {
    const values = rows(T0, { me: 5, p: 5, q: 9, r: 1 })
    expect(compareBuckets(values, { k: 3, caller: 'me' }).me?.summary).toEqual({ buckets: 1, percentile: 50, lowerThan: 50, peers: 3, value: 5 })
  })

  it('has a summary of nothing when every bucket it is in is suppressed', () => {
    expect(compareBuckets(rows(T0, { me: 5, p: 6 }), { k: 3, caller: 'me' }).me).toEqual({
      points: [{ time: T0, value: 5, percentile: null }],
      summary: { buckets: 0, percentile: null, lowerThan: null, peers: 0, value: null }
    })
  })
})

describe('compareBuckets: consent', () => {
  const values = rows(T0, { a: 10, b: 20, c: 30, x: 25 })
  const peers = new Set(['a', 'b', 'c'])

  it('leaves a member that withdrew out of everyone\'s distribution', () => {
    expect(compareBuckets(values, { k: 3, peers, caller: 'a' })).toEqual({
      buckets: [{ time: T0, members: 3, p50: 20, mean: 20 }],
      me: {
        points: [{ time: T0, value: 10, percentile: 0 }],
        summary: { buckets: 1, percentile: 0, lowerThan: 100, peers: 2, value: 10 }
      }
    })
  })

  it('still shows that member its own value against the others', () => {
    expect(compareBuckets(values, { k: 3, peers, caller: 'x' })).toEqual({
      buckets: [{ time: T0, members: 3, p50: 20, mean: 20 }],
      me: {
        points: [{ time: T0, value: 25, percentile: 200 / 3 }],
        summary: { buckets: 1, percentile: 200 / 3, lowerThan: 100 / 3, peers: 3, value: 25 }
      }
    })
  })

  it('does not count that member toward k', () => {
    expect(compareBuckets(rows(T0, { a: 1, b: 2, x: 3 }), { k: 3, peers, caller: 'x' })).toEqual({
      buckets: [{ time: T0, members: 2, suppressed: true }],
      me: {
        points: [{ time: T0, value: 3, percentile: null }],
        summary: { buckets: 0, percentile: null, lowerThan: null, peers: 0, value: null }
      }
    })
  })

  it('does not reveal a bucket only excluded members reported in', () => {
    const sparse = [...rows(T0, { a: 1, b: 2, c: 3 }), ...rows(T1, { x: 4 })]
    expect(compareBuckets(sparse, { k: 3, peers }).buckets.map((bucket) => bucket.time)).toEqual([T0])
    // …unless the caller is that member: the bucket is its own.
    expect(compareBuckets(sparse, { k: 3, peers, caller: 'x' }).buckets).toEqual([
      { time: T0, members: 3, p50: 2, mean: 2 },
      { time: T1, members: 0, suppressed: true }
    ])
  })
})

describe('compareBuckets: normalisation', () => {
  const values = rows(T0, { a: 10, b: 20, c: 30, d: 99 })
  const divisors = new Map([['a', 2], ['b', 4], ['c', 10]])

  it('divides by each member\'s figure and leaves out members without one', () => {
    // a 5, b 5, c 3 → sorted 3, 5, 5
    expect(compareBuckets(values, { k: 3, divisors, caller: 'a' })).toEqual({
      buckets: [{ time: T0, members: 3, p50: 5, mean: 13 / 3 }],
      me: {
        points: [{ time: T0, value: 5, percentile: 75 }],
        summary: { buckets: 1, percentile: 75, lowerThan: 25, peers: 2, value: 5 }
      }
    })
  })

  it('gives a caller without the figure no values of its own', () => {
    const result = compareBuckets(values, { k: 3, divisors, caller: 'd' })
    expect(result).toEqual({ buckets: [{ time: T0, members: 3, p50: 5, mean: 13 / 3 }] })
  })

  it('can push a bucket below k', () => {
    expect(compareBuckets(values, { k: 3, divisors: new Map([['a', 2], ['d', 3]]) })).toEqual({
      buckets: [{ time: T0, members: 2, suppressed: true }]
    })
  })
})
