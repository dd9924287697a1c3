import { fmt, median, ratio, withSpread } from '../lib/stats.ts'
import type { Report, Row } from '../lib/table.ts'
import type { ConnectionsRun } from './connections.ts'
import type { DashboardOutcome } from './dashboard.ts'
import type { StepResult } from './ingest-step.ts'
import type { IngestSummary, LadderOutcome } from './ingest.ts'
import type { OverloadRun } from './overload.ts'
import type { QueriesOutcome } from './queries.ts'

// The two tables a reader looks at first: the hub beside its peer (with ratios), and the
// issue's targets with a verdict each.

export interface Outcomes {
  ingest: Partial<Record<'embedded' | 'influx' | 'peer', IngestSummary>>
  overload?: OverloadRun[]
  connections?: ConnectionsRun[]
  queries?: QueriesOutcome
  dashboard?: DashboardOutcome
}

const rate = (o: LadderOutcome | undefined): string => o === undefined ? '—'
  : o.sustainedRate === 0 ? `none (${o.broke?.why ?? 'failed'})` : `${o.sustainedRate.toLocaleString('en-US')} (${o.confirmed.length}/${o.confirmed.length} runs)`
const p = (steps: StepResult[] | undefined, pick: (s: StepResult) => number, digits = 1): string => steps === undefined || steps.length === 0 ? '—' : withSpread(steps.map(pick), digits)
const readingsPerSecond = (o: LadderOutcome | undefined): number => o === undefined || o.confirmed.length === 0 ? Number.NaN
  : median(o.confirmed.map((s) => (2 * (s.qos === 1 ? s.run.acked : s.run.sent)) / (s.run.durationMs / 1000)))

export function comparisonTable (report: Report, outcomes: Outcomes): void {
  const { embedded, influx, peer } = outcomes.ingest
  const all = [embedded, influx, peer]
  const rows: Row[] = [
    ['sustained QoS 1, msgs/s (zero loss, drained ≤ 2.5 s)', ...all.map((s) => rate(s?.qos1)),
      ratio(influx?.qos1.sustainedRate, peer?.qos1.sustainedRate), ratio(embedded?.qos1.sustainedRate, peer?.qos1.sustainedRate)],
    ['  readings/s at that rate (median)', ...all.map((s) => fmt(readingsPerSecond(s?.qos1), 0)),
      ratio(readingsPerSecond(influx?.qos1), readingsPerSecond(peer?.qos1)), ratio(readingsPerSecond(embedded?.qos1), readingsPerSecond(peer?.qos1))],
    ['  first rate not sustained', ...all.map((s) => s?.qos1.broke === undefined ? '—' : `${s.qos1.broke.rate.toLocaleString('en-US')}: ${s.qos1.broke.why}`), '', ''],
    ['sustained QoS 0, msgs/s', ...all.map((s) => rate(s?.qos0)),
      ratio(influx?.qos0?.sustainedRate, peer?.qos0?.sustainedRate), ratio(embedded?.qos0?.sustainedRate, peer?.qos0?.sustainedRate)],
    ['publish → PUBACK p50 at 5k msgs/s, ms', ...all.map((s) => p(s?.latency, (x) => x.run.latency.percentile(50))), '', ''],
    ['publish → PUBACK p99 at 5k msgs/s, ms', ...all.map((s) => p(s?.latency, (x) => x.run.latency.percentile(99))), '', ''],
    ['publish → queryable p50 at 5k msgs/s, ms', ...all.map((s) => p(s?.latency, (x) => x.queryable.percentile(50), 0)), '', ''],
    ['publish → queryable p99 at 5k msgs/s, ms', ...all.map((s) => p(s?.latency, (x) => x.queryable.percentile(99), 0)), '', ''],
    ['broker/hub CPU % at 5k msgs/s', ...all.map((s) => p(s?.latency, (x) => x.usage[0]?.cpuPercent ?? Number.NaN, 0)), '', ''],
    ['whole stack CPU % at 5k msgs/s', ...all.map((s) => p(s?.latency, (x) => x.usage.reduce((sum, u) => sum + (Number.isFinite(u.cpuPercent) ? u.cpuPercent : 0), 0), 0)),
      ratio(median(influx?.latency.map(stackCpu) ?? []), median(peer?.latency.map(stackCpu) ?? [])), ratio(median(embedded?.latency.map(stackCpu) ?? []), median(peer?.latency.map(stackCpu) ?? []))],
    ['broker/hub RSS max at the sustained rate, MB', ...all.map((s) => p(s?.qos1.confirmed, (x) => x.usage[0]?.rssMaxMB ?? Number.NaN, 0)), '', ''],
    ['load generator CPU % at the sustained rate', ...all.map((s) => p(s?.qos1.confirmed, (x) => x.run.cpuPercent, 0)), '', '']
  ]
  report.table('Ingest — the hub beside the peer pipeline (same generator, same influxd); median (min–max) of the runs',
    ['measure', embedded?.target.name ?? 'Tsudoi (embedded)', influx?.target.name ?? 'Tsudoi (InfluxDB)', peer?.target.name ?? 'Mosquitto + bridge + InfluxDB', 'ratio InfluxDB hub / peer', 'ratio embedded hub / peer'],
    rows)
  report.note('publish → queryable: embedded store = the hub\'s live stream (/api/stream), which emits a reading once committed; InfluxDB (hub and peer) = one device\'s points polled from influxd every 50 ms, midpoint between the poll that missed and the poll that saw a point (±25 ms). Stack CPU = hub, or mosquitto + bridge, plus influxd where used; 100 % = one core.')
}

function stackCpu (s: StepResult): number {
  return s.usage.reduce((sum, u) => sum + (Number.isFinite(u.cpuPercent) ? u.cpuPercent : 0), 0)
}

const mark = (ok: boolean | undefined): string => ok === undefined ? '— not measured' : ok ? '✅' : '❌'

export function targetsTable (report: Report, outcomes: Outcomes): void {
  const { embedded, influx, peer } = outcomes.ingest
  const rows: Row[] = []
  const q1 = (s: IngestSummary | undefined): number | undefined => s?.qos1.sustainedRate
  const peerRate = q1(peer)
  for (const [label, s] of [['InfluxDB + durable queue', influx], ['embedded store', embedded]] as const) {
    const r = q1(s)
    const twice = peerRate === undefined || r === undefined ? undefined : r >= 2 * peerRate
    rows.push([`sustained QoS 1 ≥ 45k msgs/s, ≥ 2× peer (${label})`, r === undefined ? '—' : `${r.toLocaleString('en-US')} msgs/s; peer ${peerRate?.toLocaleString('en-US') ?? '—'} (${ratio(r, peerRate)})`,
      mark(r === undefined ? undefined : r >= 45_000 && twice !== false)])
  }
  const q0 = embedded?.qos0?.sustainedRate
  rows.push(['sustained QoS 0 ≥ 60k msgs/s (embedded)', q0 === undefined ? '—' : `${q0.toLocaleString('en-US')} msgs/s; peer ${peer?.qos0?.sustainedRate?.toLocaleString('en-US') ?? '—'}`, mark(q0 === undefined ? undefined : q0 >= 60_000)])
  const o = outcomes.overload
  rows.push(['overload: never crashes, no acknowledged reading lost, backpressure in /metrics',
    o === undefined || o.length === 0 ? '—' : `${o.filter((r) => r.alive).length}/${o.length} alive, ${o.reduce((sum, r) => sum + r.lostAcknowledged, 0)} acked readings lost, backpressure ${fmt(Math.max(...o.map((r) => r.backpressureSeconds)), 2)} s max`,
    mark(o === undefined || o.length === 0 ? undefined : o.every((r) => r.alive && r.lostAcknowledged === 0) && o.some((r) => r.backpressureSeconds > 0 || r.maxPendingPublishes > 0))])
  for (const [label, s] of [['embedded', embedded], ['InfluxDB', influx]] as const) {
    const p99 = s === undefined ? undefined : median(s.latency.map((x) => x.run.latency.percentile(99)))
    rows.push([`publish → PUBACK p99 ≤ 20 ms at 5k msgs/s (${label})`, p99 === undefined ? '—' : `${fmt(p99)} ms`, mark(p99 === undefined ? undefined : p99 <= 20)])
  }
  for (const [label, s] of [['embedded', embedded], ['InfluxDB', influx]] as const) {
    const p99 = s === undefined ? undefined : median(s.latency.map((x) => x.queryable.percentile(99)))
    rows.push([`publish → queryable p99 ≤ 2 s at 5k msgs/s (${label})`, p99 === undefined ? '—' : `${fmt(p99, 0)} ms`, mark(p99 === undefined ? undefined : p99 <= 2000)])
  }
  const c = outcomes.connections
  if (c !== undefined && c.length > 0) {
    const kb = median(c.map((r) => r.kbPerConnection))
    const rss = median(c.map((r) => r.rssAfterMB))
    const n = c[0]!.connections
    rows.push([`${n.toLocaleString('en-US')} idle connections: ≤ 40 KB each, RSS ≤ 700 MB${n < 10_000 ? ' (quick run: fewer than the 10,000 of the target)' : ''}`,
      `${fmt(kb)} KB/connection, ${fmt(rss, 0)} MB RSS, ${median(c.map((r) => r.connected))} connected, ${median(c.map((r) => r.openAfterIdle))} still open after idling`,
      mark(kb <= 40 && rss <= 700 && c.every((r) => r.failed === 0 && r.openAfterIdle === r.connected && r.ingestSustained))])
  } else {
    rows.push(['10k idle connections: ≤ 40 KB each, RSS ≤ 700 MB', '—', mark(undefined)])
  }
  const q = outcomes.queries
  for (const [store, limit] of [['embedded', 50], ['influxdb', 100]] as const) {
    const t = q?.times.find((x) => x.store === store && x.query.includes('compare 7 d'))
    const ms = t === undefined ? undefined : median(t.ms)
    rows.push([`7-day comparison ≤ ${limit} ms (${store}, ${q?.dataset.readings.toLocaleString('en-US') ?? '?'} readings)`, ms === undefined ? '—' : `${fmt(ms)} ms`, mark(ms === undefined ? undefined : ms <= limit)])
  }
  const d = outcomes.dashboard
  const first = d === undefined || d.firstChartMs.length === 0 ? undefined : median(d.firstChartMs)
  rows.push(['dashboard: first chart ≤ 1 s on localhost', first === undefined ? '—' : `${fmt(first, 0)} ms`, mark(first === undefined ? undefined : first <= 1000)])
  const js = d?.bundle?.jsGzip
  rows.push(['dashboard: JS ≤ 150 KB gzip', js === undefined ? '—' : `${(js / 1024).toFixed(1)} KB`, mark(js === undefined ? undefined : js <= 150 * 1024)])
  report.table('Targets (issue 8)', ['target', 'measured (median)', 'met'], rows)
}
