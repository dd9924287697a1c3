import type { Comparison } from '../api/schemas.ts'
import { capitalize, fmtValue, metricName, t } from '../i18n/index.ts'
import { h } from '../ui/dom.ts'
import { type BandSeries, bandFacts, bandSeries } from './band-data.ts'
import { chartFigure } from './figure.ts'
import { roles } from './palette.ts'
import { Chart } from './setup.ts'
import { type LineChart, isCompact, isolatedPointRadius, lineChartOptions, timeScale, tooltipCallbacks, valueScale } from './time-axis.ts'

export interface BandChartOptions {
  metric: string
  /** Already translated: a sector's name or "all sectors". */
  sectorLabel: string
  /** Already translated: "過去24時間". */
  rangeLabel: string
  from: number
  to: number
  /** Unit reported by the hub, for custom metrics the catalogue does not know. */
  unit?: string
  title?: string
}

/**
 * The peer median with its interquartile band (and the member's own line when the hub sends
 * one), a visible text summary the canvas points to, the count of contributing members
 * under it, and the reason for any gap.
 */
const drawsSomething = (points: readonly unknown[] | undefined): boolean =>
  (points ?? []).some((point) => typeof point === 'object' && point !== null && (point as { y?: unknown }).y !== null)

export function bandChart (options: BandChartOptions) {
  const members = h('p', { class: 'chart-members' })
  const gap = h('p', { class: 'chart-gap', hidden: true })
  const { el, canvas, summary } = chartFigure(options.metric, options.title ?? `${metricName(options.metric)} — ${options.sectorLabel}`,
    { 'aria-live': 'polite' }, members, gap)

  let unit = options.unit
  const format = (value: number): string => fmtValue(value, options.metric, unit)
  const chart: LineChart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        // p25 is only the lower edge the band fills down to; the legend shows the band once.
        { label: 'p25', data: [], borderColor: roles.bandEdge, borderWidth: 1, pointRadius: 0, fill: false },
        { label: t('chart.band'), data: [], borderColor: roles.bandEdge, backgroundColor: roles.band, borderWidth: 1, pointRadius: 0, fill: '-1' },
        { label: t('chart.median'), data: [], borderColor: roles.median, backgroundColor: roles.median, borderWidth: 3, pointRadius: isolatedPointRadius, pointHitRadius: 8, clip: 6 },
        { label: t('chart.me'), data: [], borderColor: roles.me, backgroundColor: roles.me, borderWidth: 3, borderDash: [8, 4], pointRadius: isolatedPointRadius, pointHitRadius: 8, clip: 6 },
        // The interval for the true mean, both edges dotted; the legend names it once (as p25).
        { label: 'meanLow', data: [], borderColor: roles.interval, borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0, fill: false },
        { label: t('chart.meanInterval'), data: [], borderColor: roles.interval, borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0, fill: false },
        // The mean: the one figure every shown bucket has (the median needs 10 members).
        { label: t('chart.mean'), data: [], borderColor: roles.mean, backgroundColor: roles.mean, borderWidth: 2, borderDash: [1, 0], pointRadius: isolatedPointRadius, pointHitRadius: 8, clip: 6 }
      ]
    },
    options: {
      ...lineChartOptions(),
      scales: { x: timeScale(options.from, options.to, isCompact()), y: valueScale(format) },
      plugins: {
        // A legend entry only for what is drawn: a window of small cohorts has points for every
        // bucket but no band or median (all null), and must not show "interquartile range".
        legend: { labels: { filter: (item, data) => item.datasetIndex !== 0 && item.datasetIndex !== 4 && drawsSomething(data.datasets[item.datasetIndex ?? 0]?.data) } },
        tooltip: { callbacks: tooltipCallbacks(format), filter: (item) => item.datasetIndex !== 0 && item.datasetIndex !== 4 && item.datasetIndex !== 5 }
      }
    }
  })

  function update (comparison: Comparison, from = options.from, to = options.to): void {
    unit = comparison.unit ?? unit
    const series = bandSeries(comparison)
    const [p25, p75, p50, me, meanLow, meanHigh, mean] = chart.data.datasets
    meanLow!.data = series.meanLow
    meanHigh!.data = series.meanHigh
    p25!.data = series.p25
    p75!.data = series.p75
    p50!.data = series.p50
    mean!.data = series.mean
    me!.data = series.me
    chart.options.scales!.x = timeScale(from, to, isCompact())
    chart.update('none')
    describe(comparison, series)
  }

  function describe (comparison: Comparison, drawn: BandSeries): void {
    const facts = bandFacts(comparison)
    const vars = { metric: metricName(options.metric), sector: options.sectorLabel, range: options.rangeLabel }
    const latest = facts.latest
    const community = latest === undefined
      ? t('chart.summaryEmpty', vars)
      : latest.p50 !== undefined && latest.p25 !== undefined && latest.p75 !== undefined
        ? t('chart.summary', { ...vars, median: format(latest.p50), p25: format(latest.p25), p75: format(latest.p75) })
        : t('chart.summaryMean', { ...vars, mean: format(latest.mean), low: format(latest.meanLow), high: format(latest.meanHigh) })
    const own = comparison.me?.points.at(-1)
    summary.textContent = capitalize(own === undefined ? community : `${community} ${t('chart.summaryMe', { value: format(own.value) })}`)
    members.textContent = t('chart.contributors', { latest: facts.latestMembers, max: facts.maxMembers })
    gap.hidden = facts.suppressed === 0
    gap.replaceChildren(
      h('span', { class: 'gap-reason' }, t('chart.suppressed', { k: comparison.k ?? 3 })),
      ' ',
      h('span', { class: 'gap-count' }, t('chart.suppressedCount', { count: facts.suppressed, total: facts.total })))
    // What is drawn, for the browser tests (and anyone inspecting the page): counts only.
    const count = (points: Array<{ y: number | null }>): string => String(points.filter((p) => p.y !== null).length)
    canvas.dataset.medianPoints = count(drawn.p50)
    canvas.dataset.meanPoints = count(drawn.mean)
    canvas.dataset.bandPoints = count(drawn.p75)
    canvas.dataset.mePoints = count(drawn.me)
    canvas.dataset.intervalPoints = count(drawn.meanHigh)
    canvas.dataset.legend = (chart.legend?.legendItems ?? []).map((item) => item.text).join('|')
  }

  return { el, update, destroy: () => chart.destroy() }
}
