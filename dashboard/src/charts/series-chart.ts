import type { SeriesPoint } from '../api/schemas.ts'
import { capitalize, fmtValue, metricName, t } from '../i18n/index.ts'
import { chartFigure } from './figure.ts'
import { roles } from './palette.ts'
import { mergeReading, seriesFacts, withBreaks, within } from './series-data.ts'
import { Chart } from './setup.ts'
import { type LineChart, isCompact, isolatedPointRadius, lineChartOptions, timeScale, tooltipCallbacks, valueScale } from './time-axis.ts'

export interface SeriesChartOptions {
  metric: string
  unit: string
  rangeLabel: string
  from: number
  to: number
  bucketMs: number
  /** The window ends now and slides forward with live readings. */
  live: boolean
}

/** One metric of the member's own data: the bucket mean, with its min–max as a light band. */
export function seriesChart (options: SeriesChartOptions) {
  const { el, canvas, summary } = chartFigure(options.metric, metricName(options.metric), {})

  const format = (value: number): string => fmtValue(value, options.metric, options.unit)
  let points: SeriesPoint[] = []
  let { from, to } = options
  const span = to - from
  const chart: LineChart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        { label: 'min', data: [], borderWidth: 0, pointRadius: 0, fill: false },
        { label: 'max', data: [], borderWidth: 0, pointRadius: 0, backgroundColor: roles.band, fill: '-1' },
        { label: metricName(options.metric), data: [], borderColor: roles.median, backgroundColor: roles.median, borderWidth: 2.5, pointRadius: isolatedPointRadius, pointHitRadius: 8, clip: 6 }
      ]
    },
    options: {
      ...lineChartOptions(),
      scales: { x: timeScale(from, to, isCompact()), y: valueScale(format) },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: tooltipCallbacks(format), filter: (item) => item.datasetIndex === 2 }
      }
    }
  })

  function render (): void {
    const [min, max, mean] = chart.data.datasets
    min!.data = withBreaks(points, options.bucketMs, (p) => p.min)
    max!.data = withBreaks(points, options.bucketMs, (p) => p.max)
    mean!.data = withBreaks(points, options.bucketMs, (p) => p.mean)
    chart.options.scales!.x = timeScale(from, to, isCompact())
    // 'none' skips animation, so a live update redraws in place without flicker.
    chart.update('none')
    const facts = seriesFacts(points)
    const vars = { metric: metricName(options.metric), range: options.rangeLabel }
    summary.textContent = capitalize(facts.latest === undefined
      ? t('me.seriesEmpty', vars)
      : t('me.seriesSummary', { ...vars, latest: format(facts.latest), min: format(facts.min!), max: format(facts.max!) }))
    canvas.dataset.points = String(points.length)
  }

  return {
    el,
    setPoints (next: SeriesPoint[]): void {
      points = next
      render()
    },
    /** A live reading of this metric (any of the member's devices). */
    addReading (time: number, value: number): void {
      if (!options.live) return
      if (time > to) {
        to = time
        from = to - span
      }
      points = within(mergeReading(points, time, value, options.bucketMs), from)
      render()
    },
    destroy: () => chart.destroy()
  }
}
