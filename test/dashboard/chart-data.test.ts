import { describe, expect, it } from 'vitest'
import type { Comparison } from '../../dashboard/src/api/schemas.ts'
import { bandFacts, bandSeries } from '../../dashboard/src/charts/band-data.ts'
import { bucketFor, mergeReading, seriesFacts, withBreaks, within } from '../../dashboard/src/charts/series-data.ts'
import { niceTimeTicks } from '../../dashboard/src/charts/time-axis.ts'
import { standingSentence } from '../../dashboard/src/pages/compare-summary.ts'

const H = 3_600_000
// Shapes as the hub's releases have them (server/domain/release.ts, made in server/compare/release/release-cell.ts): from k a
// mean and its interval, from 10 the median and quartiles; suppressed and pending buckets say only that.
const comparison: Comparison = {
  metric: 'power',
  k: 3,
  buckets: [
    { time: 0, suppressed: true },
    { time: H, members: 3, membersBand: '3–4', mean: 11, meanInterval: [9, 13] },
    { time: 2 * H, members: 10, membersBand: '10–19', p25: 8, p50: 10, p75: 12, mean: 10, meanInterval: [9, 11] },
    { time: 3 * H, suppressed: true },
    { time: 4 * H, pending: true }
  ],
  me: { points: [{ time: 0, value: 7, percentile: null }, { time: 2 * H, value: 9, percentile: 25 }], summary: { lowerThan: 70, percentile: 25, peers: 4, buckets: 1 } }
}

describe('band chart data', () => {
  it('turns suppressed buckets into gaps in every series and keeps the member\'s own points', () => {
    expect(bandSeries(comparison)).toEqual({
      p25: [{ x: 0, y: null }, { x: H, y: null }, { x: 2 * H, y: 8 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }],
      p50: [{ x: 0, y: null }, { x: H, y: null }, { x: 2 * H, y: 10 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }],
      p75: [{ x: 0, y: null }, { x: H, y: null }, { x: 2 * H, y: 12 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }],
      mean: [{ x: 0, y: null }, { x: H, y: 11 }, { x: 2 * H, y: 10 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }],
      me: [{ x: 0, y: 7 }, { x: 2 * H, y: 9 }],
      meanLow: [{ x: 0, y: null }, { x: H, y: 9 }, { x: 2 * H, y: 9 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }],
      meanHigh: [{ x: 0, y: null }, { x: H, y: 13 }, { x: 2 * H, y: 11 }, { x: 3 * H, y: null }, { x: 4 * H, y: null }]
    })
  })

  it('states the facts the text summary gives: bands, and pending buckets not counted as gaps', () => {
    expect(bandFacts(comparison)).toEqual({
      total: 4, suppressed: 2, latestMembers: '10–19', maxMembers: '10–19', latest: { mean: 10, meanLow: 9, meanHigh: 11, p50: 10, p25: 8, p75: 12 }
    })
    // A small cohort's latest bucket: its mean and interval, no median.
    const small = { buckets: comparison.buckets.slice(0, 2) }
    expect(bandFacts(small)).toEqual({ total: 2, suppressed: 1, latestMembers: '3–4', maxMembers: '3–4', latest: { mean: 11, meanLow: 9, meanHigh: 13 } })
    expect(bandFacts({ buckets: [{ time: 0, suppressed: true }] })).toEqual({ total: 1, suppressed: 1, latestMembers: '0', maxMembers: '0' })
  })
})

describe('standing sentence', () => {
  it('says "lower than" the share of peers above the member, in the catalogue\'s words', () => {
    expect(standingSentence(comparison, 'power', '飲食店')).toBe('この期間、同業の飲食店の70%より電力使用量が少ない')
  })

  it('turns it round when most peers are below', () => {
    const higher = { ...comparison, me: { ...comparison.me!, summary: { lowerThan: 20 } } }
    expect(standingSentence(higher, 'power', '飲食店')).toBe('この期間、同業の飲食店の80%より電力使用量が多い')
    expect(standingSentence(higher, 'power', undefined)).toBe('この期間、参加事業者の80%より電力使用量が多い')
    // A level, not an amount: 高い/低い ("CO₂濃度が少ない" read wrong).
    expect(standingSentence(higher, 'co2', '飲食店')).toBe('この期間、同業の飲食店の80%よりCO₂濃度が高い')
    expect(standingSentence(comparison, 'temperature', undefined)).toBe('この期間、参加事業者の70%より温度が低い')
  })

  it('compares with the published mean where the cohort publishes no quantile (fewer than 10 members)', () => {
    const small = (versusMean: number | null) => ({ ...comparison, me: { ...comparison.me!, summary: { lowerThan: null, percentile: null, versusMean } } })
    expect(standingSentence(small(23.4), 'power', '飲食店')).toBe('この期間、電力使用量は同業の飲食店の平均より23%多い')
    expect(standingSentence(small(-8.6), 'power', undefined)).toBe('この期間、電力使用量は参加事業者の平均より9%少ない')
    expect(standingSentence(small(null), 'power', '飲食店')).toBe('この期間は比べられるだけのデータがありません。')
  })

  it('says nothing for a visitor, and "not enough data" when nothing was compared', () => {
    expect(standingSentence({ buckets: [] }, 'power', '飲食店')).toBeUndefined()
    const none = { ...comparison, me: { points: [], summary: { lowerThan: null } } }
    expect(standingSentence(none, 'power', '飲食店')).toBe('この期間は比べられるだけのデータがありません。')
  })
})

describe('own series', () => {
  it('merges a live reading into its epoch-aligned bucket, or opens the next one', () => {
    const points = [{ time: 0, mean: 10, min: 8, max: 12, count: 2 }]
    expect(mergeReading(points, 30_000, 13, 60_000)).toEqual([{ time: 0, mean: 11, min: 8, max: 13, count: 3 }])
    expect(mergeReading(points, 61_000, 5, 60_000)).toEqual([...points, { time: 60_000, mean: 5, min: 5, max: 5, count: 1 }])
    expect(points).toHaveLength(1)
  })

  it('drops buckets that slid out of the window and summarises the rest', () => {
    const points = [{ time: 0, mean: 1, min: 0, max: 2, count: 1 }, { time: 60_000, mean: 5, min: 4, max: 9, count: 1 }]
    expect(within(points, 30_000)).toEqual([points[1]])
    expect(seriesFacts(points)).toEqual({ latest: 5, min: 0, max: 9 })
    expect(seriesFacts([])).toEqual({})
  })

  it('breaks the line across a long silence only', () => {
    const at = (minute: number) => ({ time: minute * 60_000, mean: minute, min: minute, max: minute, count: 1 })
    expect(withBreaks([at(0), at(3), at(20)], 60_000, (p) => p.mean)).toEqual([
      { x: 0, y: 0 }, { x: 180_000, y: 3 }, { x: 240_000, y: null }, { x: 1_200_000, y: 20 }
    ])
  })

  it('picks bucket sizes the API accepts', () => {
    expect(bucketFor(H)).toEqual({ ms: 60_000, text: '1m' })
    expect(bucketFor(24 * H)).toEqual({ ms: 600_000, text: '10m' })
    expect(bucketFor(H, 30)).toEqual({ ms: 300_000, text: '5m' })
    expect(bucketFor(24 * H, 30)).toEqual({ ms: H, text: '1h' })
    expect(bucketFor(7 * 24 * H, 30)).toEqual({ ms: 6 * H, text: '6h' })
    expect(bucketFor(30 * 24 * H, 30)).toEqual({ ms: 24 * H, text: '1d' })
    expect(bucketFor(30 * 24 * H)).toEqual({ ms: 21_600_000, text: '6h' })
    expect(bucketFor(3650 * 24 * H)).toEqual({ ms: 86_400_000, text: '1d' })
  })
})

describe('time axis', () => {
  it('puts ticks on round times, at most as many as asked', () => {
    const from = Date.UTC(2026, 10, 27, 5, 7)
    const ticks = niceTimeTicks(from, from + 24 * H, 8)
    expect(ticks.length).toBeLessThanOrEqual(8)
    expect(ticks.every((tick) => new Date(tick).getMinutes() === 0 && new Date(tick).getHours() % 3 === 0)).toBe(true)
    expect(ticks[1]! - ticks[0]!).toBe(3 * H)
    expect(ticks[0]! - from).toBeLessThan(3 * H)
  })
})
