import type { Comparison } from '../api/schemas.ts'
import { fmtPercent, metricName, t } from '../i18n/index.ts'

/**
 * The plain-language sentence for the member's standing. The hub sends figures only
 * (server/compare/caller-view.ts: `lowerThan` = share of peers above the member); the words,
 * and which way round to say it, are the dashboard's.
 */
export function standingSentence (comparison: Comparison, metric: string, sectorLabel: string | undefined): string | undefined {
  const summary = comparison.me?.summary
  if (comparison.me === undefined || comparison.me === null) return undefined
  const lowerThan = summary?.lowerThan
  if (typeof lowerThan !== 'number') return versusMeanSentence(summary?.versusMean, metric, sectorLabel)
  const less = lowerThan >= 50
  const percent = fmtPercent(Math.round(less ? lowerThan : 100 - lowerThan))
  const vars = { metric: metricName(metric), percent, sector: sectorLabel ?? '', ...comparatives(metric) }
  if (sectorLabel === undefined) return t(less ? 'compare.summaryLessAll' : 'compare.summaryMoreAll', vars)
  return t(less ? 'compare.summaryLess' : 'compare.summaryMore', vars)
}

/** A cohort under 10 members publishes no quantile (docs/privacy.md): the standing is then against its mean. */
function versusMeanSentence (versusMean: number | null | undefined, metric: string, sectorLabel: string | undefined): string {
  if (typeof versusMean !== 'number') return t('compare.summaryNone')
  const above = versusMean >= 0
  const vars = { metric: metricName(metric), percent: fmtPercent(Math.round(Math.abs(versusMean))), sector: sectorLabel ?? '', ...comparatives(metric) }
  if (sectorLabel === undefined) return t(above ? 'compare.summaryAboveMeanAll' : 'compare.summaryBelowMeanAll', vars)
  return t(above ? 'compare.summaryAboveMean' : 'compare.summaryBelowMean', vars)
}

/** Metrics that are amounts used (Japanese: 少ない/多い); every other metric is a level (低い/高い: "CO₂濃度が低い"). */
const AMOUNTS = new Set(['power', 'energy', 'current', 'water_flow', 'water_volume', 'gas_volume'])

function comparatives (metric: string): { lower: string, higher: string } {
  const amount = AMOUNTS.has(metric.split('__')[0]!)
  return { lower: t(amount ? 'compare.lowerAmount' : 'compare.lowerLevel'), higher: t(amount ? 'compare.higherAmount' : 'compare.higherLevel') }
}
