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
  if (typeof lowerThan !== 'number') return t('compare.summaryNone')
  const less = lowerThan >= 50
  const percent = fmtPercent(Math.round(less ? lowerThan : 100 - lowerThan))
  const vars = { metric: metricName(metric), percent, sector: sectorLabel ?? '' }
  if (sectorLabel === undefined) return t(less ? 'compare.summaryLessAll' : 'compare.summaryMoreAll', vars)
  return t(less ? 'compare.summaryLess' : 'compare.summaryMore', vars)
}
