import { get, query } from '../api/client.ts'
import { meSchema, metricsSchema, seriesSchema } from '../api/schemas.ts'
import { bucketFor } from '../charts/series-data.ts'
import { seriesChart } from '../charts/series-chart.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { fmtDate, t } from '../i18n/index.ts'
import { deviceTable } from '../ui/device-table.ts'
import { h, replaceChildren } from '../ui/dom.ts'
import { type Range, rangeLabel, rangePicker, windowOf } from '../ui/range-picker.ts'
import { signInForm } from '../ui/sign-in.ts'
import { errorBox, loading } from '../ui/status.ts'

let lastRange: Range = { kind: 'preset', preset: '24h' }

/** `#/me`: the member's devices and its own live charts. Only its own data is ever fetched. */
export function mePage (ctx: AppContext): Page {
  if (ctx.session.role !== 'member') {
    return { el: h('div', { class: 'page me' }, h('h1', null, t('me.title')), signInForm('member', ctx.refreshSession)), dispose: () => {} }
  }
  const disposer = new Disposer()
  const devicesSlot = h('div', null, loading())
  const chartsSlot = h('div', { class: 'chart-grid' })
  const csv = h('a', { class: 'button', download: '' }, t('me.csv'))
  const picker = rangePicker(lastRange, (range) => {
    lastRange = range
    void buildCharts()
  })
  const el = h('div', { class: 'page me' },
    h('h1', null, t('me.title')),
    h('section', { 'aria-labelledby': 'me-devices' }, h('h2', { id: 'me-devices' }, t('me.devices')), devicesSlot),
    h('section', { 'aria-labelledby': 'me-metrics' },
      h('h2', { id: 'me-metrics' }, t('me.metrics')),
      h('div', { class: 'toolbar' }, picker, csv),
      chartsSlot))

  let charts = new Map<string, ReturnType<typeof seriesChart>>()
  let chartsLoading: Promise<void> | undefined
  // Each build has a number; an answer for an older build (range changed meanwhile) is dropped.
  let generation = 0
  let table: ReturnType<typeof deviceTable> | undefined
  const dropCharts = (): void => { for (const chart of charts.values()) chart.destroy() }
  disposer.add(dropCharts)

  async function loadDevices (): Promise<void> {
    try {
      const me = await get('/api/me', meSchema)
      if (disposer.disposed) return
      // Each device's battery comes with it (the latest of the last 7 days); live ones update the row.
      table = deviceTable(me.devices)
      replaceChildren(devicesSlot, table.el)
    } catch (error) {
      replaceChildren(devicesSlot, errorBox(error, () => { void loadDevices() }))
    }
  }

  function loadCharts (): Promise<void> {
    // Readings of a new metric can arrive in a burst; they share one reload.
    chartsLoading ??= buildCharts().finally(() => { chartsLoading = undefined })
    return chartsLoading
  }

  async function buildCharts (): Promise<void> {
    const build = ++generation
    const window = windowOf(lastRange)
    const label = rangeLabel(lastRange, fmtDate)
    const bucket = bucketFor(window.to - window.from)
    const timeParams = lastRange.kind === 'preset' ? { from: `-${lastRange.preset}` } : { from: window.from, to: window.to }
    csv.href = `/api/me/readings.csv${query({ ...timeParams, limit: 10_000 })}`
    dropCharts()
    charts = new Map()
    replaceChildren(chartsSlot, loading())
    try {
      const { metrics } = await get('/api/me/metrics', metricsSchema)
      if (disposer.disposed || build !== generation) return
      if (metrics.length === 0) {
        replaceChildren(chartsSlot, h('p', { class: 'empty' }, t('me.noMetrics')))
        return
      }
      for (const { metric, unit } of metrics) {
        charts.set(metric, seriesChart({ metric, unit, rangeLabel: label, from: window.from, to: window.to, bucketMs: bucket.ms, live: window.live }))
      }
      replaceChildren(chartsSlot, ...[...charts.values()].map((chart) => chart.el))
      await Promise.all(metrics.map(async ({ metric }) => {
        const series = await get(`/api/me/series${query({ metric, from: window.from, to: window.to, bucket: bucket.text })}`, seriesSchema)
        if (build === generation) charts.get(metric)?.setPoints(series.points)
      }))
    } catch (error) {
      if (build === generation) replaceChildren(chartsSlot, errorBox(error, () => { void loadCharts() }))
    }
  }

  disposer.add(ctx.stream.on('reading', (reading) => {
    table?.seen(reading.device, reading.time)
    if (reading.metric === 'battery') table?.setBattery(reading.device, reading.value)
    const chart = charts.get(reading.metric)
    // A metric the member has never sent before gets its chart on the next full load.
    if (chart === undefined) { if (chartsLoading === undefined) void loadCharts() }
    else chart.addReading(reading.time, reading.value)
  }))
  disposer.add(ctx.stream.on('device', (device) => table?.setStatus(device.id, device.online, device.lastSeen)))

  void loadDevices()
  void loadCharts()
  return { el, dispose: () => disposer.dispose() }
}
