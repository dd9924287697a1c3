import type { Chart, ChartOptions, ScriptableContext, TooltipItem } from 'chart.js'
import { formatTick } from '../i18n/format.ts'
import { fmtDate, language } from '../i18n/index.ts'

// Times sit on a linear scale of epoch ms (no date adapter in the bundle). Ticks are put on
// round local times — every 15 min, 3 h, 1 d … — so labels read 14:00, not 14:23.
const MINUTE = 60_000
const STEPS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE)

export function niceTimeTicks (min: number, max: number, maxTicks: number): number[] {
  const span = max - min
  const step = STEPS.find((s) => span / s <= maxTicks) ?? STEPS[STEPS.length - 1]!
  // Align to local midnight and whole local hours: the offset is that of the window's start.
  const offset = -new Date(min).getTimezoneOffset() * MINUTE
  const ticks: number[] = []
  for (let tick = Math.ceil((min + offset) / step) * step - offset; tick <= max; tick += step) ticks.push(tick)
  return ticks
}

type AxisOptions = NonNullable<NonNullable<ChartOptions<'line'>['scales']>[string]>

export function timeScale (from: number, to: number, compact: boolean): AxisOptions {
  return {
    type: 'linear',
    min: from,
    max: to,
    afterBuildTicks: (scale) => {
      scale.ticks = niceTimeTicks(from, to, compact ? 4 : 8).map((value) => ({ value }))
    },
    ticks: { callback: (value) => formatTick(Number(value), to - from, language()), maxRotation: 0, autoSkip: true },
    grid: { color: '#e5e5e5' }
  }
}

export function valueScale (format: (value: number) => string): AxisOptions {
  return { type: 'linear', ticks: { callback: (value) => format(Number(value)) }, grid: { color: '#e5e5e5' } }
}

export function tooltipCallbacks (format: (value: number) => string) {
  return {
    title: (items: Array<TooltipItem<'line'>>) => items[0] === undefined ? '' : fmtDate(items[0].parsed.x ?? 0),
    label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '' : format(item.parsed.y)}`
  }
}

/**
 * The options both line charts start from: points already {x, y} in time order (no parsing),
 * a gap stays a gap, the card's box sets the size, and the tooltip follows the nearest time.
 * A fresh object each time, so that no two charts hold the same one.
 */
export function lineChartOptions () {
  return {
    parsing: false,
    normalized: true,
    spanGaps: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false }
  } as const
}

/** Shorthand the charts share: one screen-size switch. */
export const isCompact = (): boolean => window.matchMedia('(max-width: 600px)').matches

export type LineChart = Chart<'line', Array<{ x: number, y: number | null }>>

/**
 * Lines are drawn without point markers, so a value with gaps on both sides (one bucket shown
 * between suppressed ones, a device's first reading) would be invisible: it gets a dot (the
 * datasets' `clip: 6` keeps a dot on the window's edge whole).
 */
export function isolatedPointRadius (context: ScriptableContext<'line'>): number {
  const data = context.dataset.data as Array<{ y: number | null } | undefined>
  const i = context.dataIndex
  const present = (p: { y: number | null } | undefined): boolean => p !== undefined && p.y !== null
  return present(data[i]) && !present(data[i - 1]) && !present(data[i + 1]) ? 4 : 0
}
