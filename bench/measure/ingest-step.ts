import type { Histogram } from '../lib/histogram.ts'
import { ProcSampler, type ProcUsage } from '../lib/proc-stats.ts'
import { sleep } from '../lib/ports.ts'
import type { LoadGenerator, RunResult } from '../load/generator.ts'
import type { IngestTarget } from '../targets/target.ts'

// One step of the ingest ladder: a fixed offered rate for a fixed time, then the store is
// counted. Sustained = the schedule was kept, every QoS 1 publish acknowledged, no connection
// dropped, and every acknowledged (QoS 0: sent) reading counted in the store within 2.5 s of
// the load stopping.

export const READINGS_PER_MESSAGE = 2
export const DRAIN_DEADLINE_MS = 2500
/** How long to keep counting after the deadline, to tell "late" from "lost" (default). */
const LATE_LIMIT_MS = 8000

export interface StepResult {
  target: string
  rate: number
  qos: 0 | 1
  run: RunResult
  expected: number
  stored: number
  /** ms from the end of the load until the store held every expected reading; NaN if never. */
  drainMs: number
  lost: number
  sustained: boolean
  why: string
  queryable: Histogram
  usage: Array<{ label: string } & ProcUsage>
  /** CPU used by processes that are not part of this benchmark (other users of the machine), % of one core. */
  otherCpuPercent: number
  /** From the hub's /metrics over the step, when the target has them. */
  commits?: { count: number, meanMs: number, meanReadings: number, backpressureSeconds: number }
  /** The peer's bridge over the step: messages it received from the broker, lines it wrote. */
  bridge?: { received: number, written: number, failedWrites: number }
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string): number => (after.get(key) ?? Number.NaN) - (before.get(key) ?? 0)

export async function ingestStep (target: IngestTarget, generator: LoadGenerator, rate: number, qos: 0 | 1, durationMs: number, options: { maxInflight?: number, lateLimitMs?: number } = {}): Promise<StepResult> {
  const { maxInflight = 64, lateLimitMs = LATE_LIMIT_MS } = options
  const probe = target.probe()
  const before = await target.diagnostics?.().catch(() => undefined)
  const sampler = new ProcSampler(target.processes.map((p) => p.pid))
  const benchCpu = process.cpuUsage()
  probe.start()
  sampler.start()
  // CPU and RSS over the load itself, not the drain after it.
  let usage: Map<number, ProcUsage> | undefined
  let benchUsed: NodeJS.CpuUsage | undefined
  const usageTimer = setTimeout(() => { usage = sampler.stop(); benchUsed = process.cpuUsage(benchCpu) }, 100 + durationMs)
  const run = await generator.run({ rate, durationMs, qos, maxInflight, drainMs: 3000 })
  clearTimeout(usageTimer)
  usage ??= sampler.stop()
  benchUsed ??= process.cpuUsage(benchCpu)
  const after = before === undefined ? undefined : await target.diagnostics?.().catch(() => undefined)
  // Ours: the target's processes, the generator's workers, and this process (probes, polling).
  const ours = [...usage.values()].reduce((sum, u) => sum + u.cpuPercent, 0) + run.cpuPercent +
    ((benchUsed.user + benchUsed.system) / 1000 / sampler.elapsedMs) * 100

  const expected = READINGS_PER_MESSAGE * (qos === 1 ? run.acked : run.sent)
  const from = run.startedAt - 1
  const to = run.maxTs + 1
  let stored = await target.stored(from, to)
  let drainMs = stored >= expected ? Math.max(0, Date.now() - run.stoppedAt) : Number.NaN
  while (stored < expected && Date.now() < run.stoppedAt + DRAIN_DEADLINE_MS + lateLimitMs) {
    await sleep(100)
    stored = await target.stored(from, to)
    if (stored >= expected) drainMs = Date.now() - run.stoppedAt
  }
  // The probe keeps watching until the store is complete, so late readings are measured too.
  const queryable = probe.stop()
  probe.close()

  const bridge = before?.has('bridge_messages') === true && after !== undefined
    ? { received: delta(before, after, 'bridge_messages'), written: delta(before, after, 'bridge_written'), failedWrites: delta(before, after, 'bridge_failedWrites') }
    : undefined
  const reasons: string[] = []
  if (run.sent < run.offered * 0.99) reasons.push(`offered ${run.offered}, could send ${run.sent}`)
  if (run.unacked > 0) reasons.push(`${run.unacked} never acknowledged`)
  if (run.closed > 0) reasons.push(`${run.closed} connections dropped`)
  if (stored < expected) reasons.push(`${expected - stored} readings missing`)
  if (bridge !== undefined && bridge.received < (qos === 1 ? run.acked : run.sent)) reasons.push(`the bridge received ${bridge.received} of ${qos === 1 ? run.acked : run.sent} messages`)
  else if (!(drainMs <= DRAIN_DEADLINE_MS)) reasons.push(`store complete only after ${Math.round(drainMs)} ms`)
  return {
    target: target.name,
    rate,
    qos,
    run,
    expected,
    stored,
    drainMs,
    lost: Math.max(0, expected - stored),
    sustained: reasons.length === 0,
    why: reasons.join('; '),
    queryable,
    otherCpuPercent: Math.max(0, sampler.machineCpuPercent - ours),
    ...(bridge === undefined ? {} : { bridge }),
    ...(before === undefined || after === undefined || !before.has('tsudoi_store_write_seconds_count')
      ? {}
      : {
          commits: {
            count: delta(before, after, 'tsudoi_store_write_seconds_count'),
            meanMs: (1000 * delta(before, after, 'tsudoi_store_write_seconds_sum')) / delta(before, after, 'tsudoi_store_write_seconds_count'),
            meanReadings: delta(before, after, 'tsudoi_commit_batch_readings_sum') / delta(before, after, 'tsudoi_commit_batch_readings_count'),
            backpressureSeconds: delta(before, after, 'tsudoi_ingest_backpressure_seconds_total')
          }
        }),
    usage: target.processes.map((p) => ({ label: p.label, ...(usage!.get(p.pid) ?? { cpuPercent: Number.NaN, rssMaxMB: Number.NaN, rssEndMB: Number.NaN }) }))
  }
}

/** A JSON-friendly digest of a step, for the results file. */
export function stepRecord (step: StepResult): Record<string, unknown> {
  const r = step.run
  return {
    target: step.target,
    rate: step.rate,
    qos: step.qos,
    durationMs: r.durationMs,
    offered: r.offered,
    sent: r.sent,
    acked: r.acked,
    unacked: r.unacked,
    closed: r.closed,
    expected: step.expected,
    stored: step.stored,
    lost: step.lost,
    drainMs: Number.isFinite(step.drainMs) ? Math.round(step.drainMs) : null,
    sustained: step.sustained,
    why: step.why,
    readingsPerSecond: Math.round((READINGS_PER_MESSAGE * (step.qos === 1 ? r.acked : r.sent)) / (r.durationMs / 1000)),
    pubackP50Ms: r.latency.percentile(50),
    pubackP99Ms: r.latency.percentile(99),
    queryableP50Ms: step.queryable.percentile(50),
    queryableP99Ms: step.queryable.percentile(99),
    queryableSamples: step.queryable.count,
    generatorCpuPercent: r.cpuPercent,
    otherCpuPercent: step.otherCpuPercent,
    commits: step.commits,
    bridge: step.bridge,
    processes: step.usage
  }
}
