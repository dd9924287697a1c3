import { Histogram } from '../lib/histogram.ts'
import type { HubApi } from '../lib/hub-api.ts'
import { ProcSampler } from '../lib/proc-stats.ts'
import { sleep } from '../lib/ports.ts'
import type { ResultLog } from '../lib/results.ts'
import { fmt } from '../lib/stats.ts'
import type { Report } from '../lib/table.ts'
import type { LoadGenerator } from '../load/generator.ts'
import type { HubProcess } from '../lib/hub-process.ts'
import type { IngestTarget } from '../targets/target.ts'
import { READINGS_PER_MESSAGE } from './ingest-step.ts'

// Measurement 3: a generator faster than the hub, at QoS 0 and QoS 1. The hub must stay up,
// keep answering /api/health, lose no acknowledged reading, and show its backpressure in /metrics.

export interface OverloadPlan { durationMs: number, rate: number, maxInflight: number, repeats: number }

export interface OverloadRun {
  qos: 0 | 1
  sent: number
  acked: number
  stored: number
  lostAcknowledged: number
  alive: boolean
  healthOk: number
  healthFailed: number
  healthP99Ms: number
  hubCpuPercent: number
  hubRssMaxMB: number
  backpressureSeconds: number
  maxPendingPublishes: number
  generatorCpuPercent: number
  closed: number
}

const BACKPRESSURE = 'tsudoi_ingest_backpressure_seconds_total'
const PENDING = 'tsudoi_ingest_pending_publishes'

async function overloadOnce (target: IngestTarget & { api: HubApi, hub: HubProcess }, generator: LoadGenerator, qos: 0 | 1, plan: OverloadPlan): Promise<OverloadRun> {
  const before = await target.api.metrics()
  const health = new Histogram()
  let healthOk = 0
  let healthFailed = 0
  let maxPending = 0
  let watching = true
  // Every 500 ms during the overload: does the hub answer, and what does /metrics say?
  const watcher = (async () => {
    while (watching) {
      const started = performance.now()
      try {
        await target.api.health(5000)
        health.record(performance.now() - started)
        healthOk++
        const metrics = await target.api.metrics()
        maxPending = Math.max(maxPending, metrics.get(PENDING) ?? 0)
      } catch {
        healthFailed++
      }
      await sleep(500)
    }
  })()
  const sampler = new ProcSampler([target.hub.pid])
  sampler.start()
  const run = await generator.run({ rate: plan.rate, durationMs: plan.durationMs, qos, maxInflight: plan.maxInflight, drainMs: 10_000 })
  const usage = sampler.stop().get(target.hub.pid)
  watching = false
  await watcher
  // Whatever was acknowledged must be in the store; give the hub time to finish what it holds.
  const expected = READINGS_PER_MESSAGE * run.acked
  let stored = await target.stored(run.startedAt - 1, run.maxTs + 1)
  const deadline = Date.now() + 20_000
  while (stored < expected && Date.now() < deadline) {
    await sleep(250)
    stored = await target.stored(run.startedAt - 1, run.maxTs + 1)
  }
  const alive = await target.healthy()
  const after = alive ? await target.api.metrics() : new Map<string, number>()
  return {
    qos,
    sent: run.sent,
    acked: run.acked,
    stored,
    lostAcknowledged: qos === 1 ? Math.max(0, expected - stored) : 0,
    alive,
    healthOk,
    healthFailed,
    healthP99Ms: health.percentile(99),
    hubCpuPercent: usage?.cpuPercent ?? Number.NaN,
    hubRssMaxMB: usage?.rssMaxMB ?? Number.NaN,
    backpressureSeconds: (after.get(BACKPRESSURE) ?? Number.NaN) - (before.get(BACKPRESSURE) ?? 0),
    maxPendingPublishes: maxPending,
    generatorCpuPercent: run.cpuPercent,
    closed: run.closed
  }
}

export async function measureOverload (target: IngestTarget & { api: HubApi, hub: HubProcess }, generator: LoadGenerator, plan: OverloadPlan, report: Report, log: ResultLog): Promise<OverloadRun[]> {
  console.log(`\n▶ overload: ${plan.rate.toLocaleString('en-US')} msgs/s offered for ${plan.durationMs / 1000} s at QoS 0 and QoS 1, ${plan.repeats}×`)
  const runs: OverloadRun[] = []
  for (let i = 0; i < plan.repeats; i++) {
    for (const qos of [0, 1] as const) {
      if (!(await target.healthy())) break
      const run = await overloadOnce(target, generator, qos, plan)
      runs.push(run)
      log.write('overload', { target: target.name, rate: plan.rate, durationMs: plan.durationMs, ...run })
      console.log(`  QoS ${qos}: sent ${run.sent}, acked ${run.acked}, stored ${run.stored}, alive ${run.alive}, health ${run.healthOk} ok / ${run.healthFailed} failed, backpressure ${fmt(run.backpressureSeconds, 2)} s`)
      await sleep(1000)
    }
  }
  report.table(`Overload — ${target.name}, ${plan.rate.toLocaleString('en-US')} msgs/s offered for ${plan.durationMs / 1000} s (QoS 1 window ${plan.maxInflight}/connection)`,
    ['run', 'msgs/s sent', 'acked', 'readings stored', 'acked lost', 'hub alive', '/api/health ok/failed (p99 ms)', 'backpressure s (/metrics)', 'max pending publishes', 'hub CPU %', 'hub RSS max MB', 'generator CPU %'],
    runs.map((r, i) => [
      `QoS ${r.qos} #${Math.floor(i / 2) + 1}`,
      fmt(r.sent / (plan.durationMs / 1000), 0),
      r.qos === 1 ? r.acked : '—',
      r.stored,
      r.qos === 1 ? r.lostAcknowledged : '—',
      r.alive ? 'yes' : 'NO',
      `${r.healthOk}/${r.healthFailed} (${fmt(r.healthP99Ms, 0)})`,
      fmt(r.backpressureSeconds, 2),
      r.maxPendingPublishes,
      fmt(r.hubCpuPercent, 0),
      fmt(r.hubRssMaxMB, 0),
      fmt(r.generatorCpuPercent, 0)
    ]))
  return runs
}
