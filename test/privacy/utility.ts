import { buildCommunity } from '../../device-sim/community.ts'
import { profiles } from '../../device-sim/profiles/index.ts'
import { quantile, mean } from '../../server/compare/quantile.ts'
import { perturbationParams } from '../../server/compare/release/perturbation.ts'
import { type Contribution, releaseCell } from '../../server/compare/release/release-cell.ts'
import { isSuppressedRelease } from '../../server/domain/release.ts'
import type { Sector } from '../../server/domain/sectors.ts'

// Utility of protected releases on the simulator's sector profiles (docs/privacy.md,
// "Utility"): how far the published mean and median are from the unprotected ones.

const HOUR = 3_600_000
/** Monday 2026-01-05 00:00 in Tokyo. */
export const WEEK_START = Date.parse('2026-01-04T15:00:00Z')

export interface HourlyCommunity {
  members: string[]
  /** hour start → member → value, for one metric. */
  hours: Array<{ time: number, values: Contribution[] }>
}

/** A week of hourly member values of `metric` for a cohort of `n` simulated members of a sector. */
export function simulatedWeek (sector: Sector, n: number, metric: string, seed = 7, hours = 7 * 24): HourlyCommunity {
  const community = buildCommunity({
    seed, members: n, sectors: [{ sector, count: n }], devicesPerMember: profiles[sector].devices.length, format: 'json', meterEpoch: WEEK_START
  })
  const out: HourlyCommunity = { members: community.members.map((m) => m.id), hours: [] }
  for (let h = 0; h < hours; h++) {
    const time = WEEK_START + h * HOUR
    const values: Contribution[] = []
    for (const member of community.members) {
      // The store's gauge value: each device's mean over the hour, then the mean across devices.
      const perDevice = community.devices.filter((d) => d.member === member && d.kind.metrics.includes(metric)).map((device) =>
        mean([7, 22, 37, 52].map((minute) => device.sampler.sample(time + minute * 60_000)[metric] ?? Number.NaN)))
      const usable = perDevice.filter(Number.isFinite)
      if (usable.length > 0) values.push({ member: member.id, value: mean(usable) })
    }
    out.hours.push({ time, values })
  }
  return out
}

export interface UtilityRow {
  n: number
  buckets: number
  /** 90th percentile of |published − unprotected| / |unprotected|, %. */
  meanError90: number
  /** Null where no median is published (cohorts under 10: server/compare/bucket-stats.ts). */
  medianError90: number | null
  /** Share of buckets (%) whose unprotected mean lies inside the published meanInterval. */
  intervalCoverage: number
}

const p90 = (errors: number[]): number => quantile([...errors].sort((a, b) => a - b), 90)

/** Errors over every hour of a week and several secrets (the factors are a draw per secret). */
export function utility (sector: Sector, metric: string, n: number, percent = 10, secrets = ['s1', 's2', 's3', 's4', 's5']): UtilityRow {
  const week = simulatedWeek(sector, n, metric)
  const meanErrors: number[] = []
  const medianErrors: number[] = []
  let covered = 0
  for (const secret of secrets) {
    const params = { k: 3, secret, perturbation: perturbationParams(percent) }
    for (const { time, values } of week.hours) {
      const release = releaseCell({ series: metric, size: '1h', time }, values, params)
      if (isSuppressedRelease(release)) continue
      const trueMean = mean(values.map((v) => v.value))
      const trueMedian = quantile(values.map((v) => v.value).sort((a, b) => a - b), 50)
      if (trueMean === 0 || trueMedian === 0) continue
      meanErrors.push(Math.abs(release.mean - trueMean) / Math.abs(trueMean))
      if (release.p50 !== undefined) medianErrors.push(Math.abs(release.p50 - trueMedian) / Math.abs(trueMedian))
      if (trueMean >= release.meanInterval[0] && trueMean <= release.meanInterval[1]) covered++
    }
  }
  return {
    n,
    buckets: meanErrors.length,
    meanError90: 100 * p90(meanErrors),
    medianError90: medianErrors.length === 0 ? null : 100 * p90(medianErrors),
    intervalCoverage: 100 * covered / meanErrors.length
  }
}
