import type { ResultLog } from '../lib/results.ts'
import { fmt } from '../lib/stats.ts'
import type { Report, Row } from '../lib/table.ts'
import { sleep } from '../lib/ports.ts'
import type { LoadGenerator } from '../load/generator.ts'
import type { IngestTarget } from '../targets/target.ts'
import { type StepResult, ingestStep, stepRecord } from './ingest-step.ts'

// Measurement 1 and 2: end-to-end ingest, stepped up until it breaks, for one target (the hub
// on either store, or the peer pipeline). The same generator and the same steps for all.

export interface IngestPlan {
  stepMs: number
  /** publish → PUBACK / queryable latencies are measured at this rate (the issue: 5k msgs/s). */
  latencyRate: number
  qos1Ladder: number[]
  qos0Ladder: number[]
  repeats: number
  /** Fall back at most this many rungs when a repeat of the best rung fails. */
  maxFallback: number
  /** After a failed step, how long to keep counting to tell late readings from lost ones. */
  lateLimitMs: number
}

export interface LadderOutcome {
  qos: 0 | 1
  steps: StepResult[]
  /** Highest rate sustained in every one of `repeats` runs; 0 if none. */
  sustainedRate: number
  /** The runs at sustainedRate. */
  confirmed: StepResult[]
  /** The first rung that failed, with why. */
  broke?: StepResult
}

export interface IngestSummary { target: IngestTarget, latency: StepResult[], qos1: LadderOutcome, qos0?: LadderOutcome }

function progress (s: StepResult): void {
  const r = s.run
  const p = s.qos === 1 ? ` PUBACK p50 ${fmt(r.latency.percentile(50))} p99 ${fmt(r.latency.percentile(99))} ms` : ''
  console.log(`  ${s.target} QoS ${s.qos} ${s.rate.toLocaleString('en-US')}/s: sent ${r.sent}, acked ${r.acked}, stored ${s.stored}/${s.expected}` +
    `, drained ${Number.isFinite(s.drainMs) ? Math.round(s.drainMs) : '—'} ms,${p} ${s.usage[0]?.label} CPU ${fmt(s.usage[0]?.cpuPercent, 0)}%, gen CPU ${fmt(r.cpuPercent, 0)}%, others ${fmt(s.otherCpuPercent, 0)}% → ${s.sustained ? 'sustained' : `NOT sustained (${s.why})`}`)
}

async function step (target: IngestTarget, generator: LoadGenerator, rate: number, qos: 0 | 1, plan: IngestPlan, log: ResultLog, phase: string): Promise<StepResult> {
  const result = await ingestStep(target, generator, rate, qos, plan.stepMs, { lateLimitMs: plan.lateLimitMs })
  progress(result)
  log.write('ingest-step', { phase, ...stepRecord(result) })
  await sleep(150)
  return result
}

export async function ladder (target: IngestTarget, generator: LoadGenerator, qos: 0 | 1, rates: readonly number[], plan: IngestPlan, log: ResultLog): Promise<LadderOutcome> {
  const byRate = new Map<number, StepResult[]>()
  const steps: StepResult[] = []
  let lastPass = -1
  let broke: StepResult | undefined
  for (const [i, rate] of rates.entries()) {
    const result = await step(target, generator, rate, qos, plan, log, `ladder-qos${qos}`)
    steps.push(result)
    byRate.set(rate, [result])
    if (!result.sustained) { broke = result; break }
    lastPass = i
    if (!(await target.healthy())) break
  }
  // Repeat the best rung; if a repeat fails, fall back a rung (which has one pass already).
  for (let i = lastPass; i >= Math.max(0, lastPass - plan.maxFallback); i--) {
    const rate = rates[i]!
    const runs = byRate.get(rate)!
    while (runs.length < plan.repeats && runs.every((r) => r.sustained)) {
      const result = await step(target, generator, rate, qos, plan, log, `confirm-qos${qos}`)
      runs.push(result)
      steps.push(result)
      if (!result.sustained) broke ??= result
    }
    if (runs.every((r) => r.sustained)) return { qos, steps, sustainedRate: rate, confirmed: runs, ...(broke === undefined ? {} : { broke }) }
  }
  return { qos, steps, sustainedRate: 0, confirmed: [], ...(broke === undefined ? {} : { broke }) }
}

export async function measureIngest (target: IngestTarget, generator: LoadGenerator, plan: IngestPlan, log: ResultLog, options: { qos0: boolean }): Promise<IngestSummary> {
  console.log(`\n▶ ingest: ${target.name}, ${target.logins.length} connections, ${plan.stepMs / 1000} s steps`)
  // Warm-up: JIT, first series rows, InfluxDB shards.
  await generator.run({ rate: Math.min(2000, plan.latencyRate), durationMs: 700, qos: 1, drainMs: 3000 })
  await sleep(300)
  const latency: StepResult[] = []
  for (let i = 0; i < plan.repeats; i++) latency.push(await step(target, generator, plan.latencyRate, 1, plan, log, 'latency'))
  const qos1 = await ladder(target, generator, 1, plan.qos1Ladder.filter((r) => r > plan.latencyRate), plan, log)
  // The latency runs are the ladder's first rung.
  qos1.steps.unshift(...latency)
  if (qos1.sustainedRate === 0 && latency.every((r) => r.sustained)) Object.assign(qos1, { sustainedRate: plan.latencyRate, confirmed: latency })
  const qos0 = options.qos0 && (await target.healthy()) ? await ladder(target, generator, 0, plan.qos0Ladder, plan, log) : undefined
  return { target, latency, qos1, ...(qos0 === undefined ? {} : { qos0 }) }
}

/** The ladder of one target as a table: one row per step. */
export function ladderTable (report: Report, summary: IngestSummary): void {
  const rows: Row[] = []
  for (const outcome of [summary.qos1, summary.qos0]) {
    if (outcome === undefined) continue
    for (const s of outcome.steps) {
      const r = s.run
      const stack = s.usage.reduce((sum, u) => sum + (Number.isFinite(u.cpuPercent) ? u.cpuPercent : 0), 0)
      rows.push([
        `QoS ${s.qos} @ ${s.rate.toLocaleString('en-US')}`,
        fmt(r.sent / (r.durationMs / 1000), 0),
        fmt((2 * (s.qos === 1 ? r.acked : r.sent)) / (r.durationMs / 1000), 0),
        s.qos === 1 ? `${fmt(r.latency.percentile(50))} / ${fmt(r.latency.percentile(99))}` : '—',
        `${fmt(s.queryable.percentile(50), 0)} / ${fmt(s.queryable.percentile(99), 0)}`,
        Number.isFinite(s.drainMs) ? fmt(s.drainMs, 0) : `lost ${s.lost}`,
        fmt(s.usage[0]?.cpuPercent, 0),
        fmt(stack, 0),
        fmt(s.usage[0]?.rssMaxMB, 0),
        fmt(r.cpuPercent, 0),
        fmt(s.otherCpuPercent, 0),
        s.commits !== undefined && Number.isFinite(s.commits.meanMs)
          ? `${s.commits.count} × ${fmt(s.commits.meanMs)} ms, ${fmt(s.commits.meanReadings, 0)} rd`
          : s.bridge !== undefined ? `bridge got ${s.bridge.received} msgs, wrote ${s.bridge.written} lines` : '—',
        s.sustained ? '✓' : `✗ ${s.why}`
      ])
    }
  }
  report.table(`Ingest ladder — ${summary.target.name} (${summary.target.logins.length} connections)`,
    ['step (msgs/s offered)', 'msgs/s sent', 'readings/s', 'PUBACK p50/p99 ms', 'queryable p50/p99 ms', 'drain ms', `${summary.target.processes[0]?.label} CPU %`, 'stack CPU %', `${summary.target.processes[0]?.label} RSS MB`, 'generator CPU %', 'other processes CPU %', 'store writes (hub: commits × mean ms, readings each)', 'sustained'],
    rows)
}
