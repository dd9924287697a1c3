import { nofileLimit } from '../lib/hub-process.ts'
import { snapshot } from '../lib/proc-stats.ts'
import { sleep } from '../lib/ports.ts'
import type { ResultLog } from '../lib/results.ts'
import { fmt, withSpread } from '../lib/stats.ts'
import type { Report } from '../lib/table.ts'
import { LoadGenerator } from '../load/generator.ts'
import type { DeviceLogin } from '../load/protocol.ts'
import { startHubTarget } from '../targets/hub.ts'
import { ingestStep } from './ingest-step.ts'

// Measurement 4: N devices connected and idle with keepalive. Hub RSS per connection, how
// fast they connect, and whether ingest still works beside them. Repeated on a fresh hub.

export interface ConnectionsPlan {
  connections: number
  /** Registered devices; connection i logs in as device i % devices with its own client id. */
  devices: number
  keepaliveS: number
  /** How long the connections stay idle (longer than keepalive/2, so PINGREQs are exercised). */
  idleMs: number
  repeats: number
  /** Ingest check beside the idle connections. */
  ingestRate: number
  ingestMs: number
}

export interface ConnectionsRun {
  connections: number
  connected: number
  failed: number
  firstError?: string
  connectPerSecond: number
  rssBeforeMB: number
  rssAfterMB: number
  kbPerConnection: number
  openAfterIdle: number
  hubReportedConnections: number
  ingestSustained: boolean
  ingestWhy: string
  ingestPubackP99Ms: number
  generatorCpuPercent: number
}

async function once (plan: ConnectionsPlan): Promise<ConnectionsRun> {
  // The hub needs a descriptor per connection: start it with a raised limit (works as root,
  // or up to the hard limit).
  const target = await startHubTarget({ store: 'embedded', connections: 20, nofile: plan.connections + 4096 })
  const workers = Math.max(2, Math.ceil(plan.connections / Math.max(256, nofileLimit('S') - 256)))
  const active = await LoadGenerator.start(1)
  const idle = await LoadGenerator.start(workers)
  try {
    await active.connect('127.0.0.1', target.mqttPort, target.logins)
    const { devices } = await target.api.provision('idle', Math.ceil(plan.devices / 4), 4, 16)
    const logins: DeviceLogin[] = Array.from({ length: plan.connections }, (_, i) => {
      const device = devices[i % devices.length]!
      return { clientId: `${device.id}-c${i}`, username: device.id, password: device.token, topic: device.topic }
    })
    await sleep(1000)
    const before = snapshot(target.hub.pid)!
    const connected = await idle.connect('127.0.0.1', target.mqttPort, logins, { keepaliveS: plan.keepaliveS, concurrency: 100, timeoutMs: 60_000 })
    console.log(`  ${connected.connected} connected in ${fmt(connected.ms / 1000, 1)} s (${connected.failed} failed${connected.firstError === undefined ? '' : `: ${connected.firstError}`}); idle ${plan.idleMs / 1000} s with keepalive ${plan.keepaliveS} s`)
    await sleep(plan.idleMs)
    const after = snapshot(target.hub.pid)!
    const status = await idle.status()
    const metrics = await target.api.metrics()
    const ingest = await ingestStep(target, active, plan.ingestRate, 1, plan.ingestMs)
    return {
      connections: plan.connections,
      connected: connected.connected,
      failed: connected.failed,
      ...(connected.firstError === undefined ? {} : { firstError: connected.firstError }),
      connectPerSecond: connected.connected / (connected.ms / 1000),
      rssBeforeMB: before.rssBytes / 2 ** 20,
      rssAfterMB: after.rssBytes / 2 ** 20,
      kbPerConnection: (after.rssBytes - before.rssBytes) / 1024 / Math.max(1, connected.connected),
      openAfterIdle: status.open,
      hubReportedConnections: metrics.get('tsudoi_mqtt_connections') ?? Number.NaN,
      ingestSustained: ingest.sustained,
      ingestWhy: ingest.why,
      ingestPubackP99Ms: ingest.run.latency.percentile(99),
      generatorCpuPercent: ingest.run.cpuPercent
    }
  } finally {
    await idle.close()
    await active.close()
    await target.stop()
  }
}

export async function measureConnections (plan: ConnectionsPlan, report: Report, log: ResultLog): Promise<ConnectionsRun[]> {
  console.log(`\n▶ connections: ${plan.connections.toLocaleString('en-US')} idle connections (${plan.devices} devices), ${plan.repeats}× on a fresh hub`)
  const runs: ConnectionsRun[] = []
  for (let i = 0; i < plan.repeats; i++) {
    const run = await once(plan)
    runs.push(run)
    log.write('connections', { ...run, plan })
    console.log(`  RSS ${fmt(run.rssBeforeMB, 0)} → ${fmt(run.rssAfterMB, 0)} MB (${fmt(run.kbPerConnection, 1)} KB/connection), ${run.openAfterIdle} open after idling, ingest ${run.ingestSustained ? 'ok' : `NOT ok: ${run.ingestWhy}`}`)
  }
  const col = (pick: (r: ConnectionsRun) => number, digits = 1): string => withSpread(runs.map(pick), digits)
  report.table(`Connections — ${plan.connections.toLocaleString('en-US')} idle MQTT connections on the hub (embedded store), median (min–max) of ${runs.length}`,
    ['measure', 'value'],
    [
      ['connected / failed', `${col((r) => r.connected, 0)} / ${col((r) => r.failed, 0)}`],
      ['connect rate (connections/s)', col((r) => r.connectPerSecond, 0)],
      ['hub RSS before → after (MB)', `${col((r) => r.rssBeforeMB, 0)} → ${col((r) => r.rssAfterMB, 0)}`],
      ['hub RSS per connection (KB)', col((r) => r.kbPerConnection, 1)],
      [`still open after ${plan.idleMs / 1000} s idle (keepalive ${plan.keepaliveS} s)`, col((r) => r.openAfterIdle, 0)],
      ['hub reports (tsudoi_mqtt_connections)', col((r) => r.hubReportedConnections, 0)],
      [`ingest beside them: ${plan.ingestRate.toLocaleString('en-US')} msgs/s QoS 1, 20 connections`, runs.map((r) => r.ingestSustained ? 'sustained' : `✗ ${r.ingestWhy}`).join(', ')],
      ['  its PUBACK p99 (ms)', col((r) => r.ingestPubackP99Ms, 1)]
    ])
  return runs
}
