import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { summarizeProfile } from './cpuprofile-summary.ts'
import { buildDashboard, measureDashboard } from './measure/dashboard.ts'
import { measureConnections, type ConnectionsPlan } from './measure/connections.ts'
import { type IngestPlan, ladderTable, measureIngest } from './measure/ingest.ts'
import { measureOverload, type OverloadPlan } from './measure/overload.ts'
import { measureQueries, type QueriesPlan } from './measure/queries.ts'
import { type Outcomes, comparisonTable, targetsTable } from './measure/summary.ts'
import { type Influxd, influxdAvailable, startInfluxd } from './lib/influx.ts'
import { mosquittoVersion } from './lib/mosquitto.ts'
import { RESULTS_DIR, ResultLog, machine } from './lib/results.ts'
import { Report } from './lib/table.ts'
import { LoadGenerator } from './load/generator.ts'
import { startHubTarget } from './targets/hub.ts'
import { startPeerTarget } from './targets/peer.ts'
import type { IngestTarget } from './targets/target.ts'

// npm run bench [-- --quick] [-- --only=ingest,overload,connections,queries,dashboard] [-- --profile]
// Every measurement is bounded in time, runs on 127.0.0.1 only, and prints its tables as it goes.

const MEASUREMENTS = ['ingest', 'overload', 'connections', 'queries', 'dashboard'] as const
type Measurement = typeof MEASUREMENTS[number]

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    connections: { type: 'string' },
    mqtt5: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' }
  }
})
if (values.help === true) {
  console.log(`Usage: npm run bench -- [--quick] [--only=${MEASUREMENTS.join(',')}] [--profile] [--connections=N]
  --quick        a short version of every measurement (under 3 minutes)
  --only         run only these measurements
  --profile      run the embedded-store hub under node --cpu-prof; summarise with bench/cpuprofile-summary.ts
  --connections  idle connections for the connections measurement (default 10000, quick 2000)
  --mqtt5        the load generator's devices speak MQTT 5 instead of 3.1.1 (the peers' too)`)
  process.exit(0)
}
const quick = values.quick === true
// Read by every load-generator process (bench/load/worker.ts), which inherits the environment.
if (values.mqtt5 === true) process.env.TSUDOI_BENCH_MQTT_VERSION = '5'
const only = new Set((values.only?.split(',') ?? MEASUREMENTS) as Measurement[])
for (const name of only) if (!MEASUREMENTS.includes(name)) throw new Error(`unknown measurement ${name}; one of ${MEASUREMENTS.join(', ')}`)

const ingestPlan: IngestPlan = quick
  ? { stepMs: 1000, latencyRate: 5000, qos1Ladder: [5000, 10_000, 20_000, 30_000, 45_000, 60_000], qos0Ladder: [45_000, 60_000, 80_000], repeats: 3, maxFallback: 1, lateLimitMs: 1500 }
  : { stepMs: 8000, latencyRate: 5000, qos1Ladder: [5000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 60_000, 70_000], qos0Ladder: [10_000, 20_000, 30_000, 40_000, 45_000, 50_000, 60_000, 75_000, 90_000, 105_000], repeats: 3, maxFallback: 2, lateLimitMs: 8000 }
const ingestConnections = quick ? 100 : 200
const overloadPlan: OverloadPlan = quick ? { durationMs: 1500, rate: 150_000, maxInflight: 500, repeats: 3 } : { durationMs: 10_000, rate: 150_000, maxInflight: 500, repeats: 3 }
const idle = Number(values.connections ?? (quick ? 2000 : 10_000))
const connectionsPlan: ConnectionsPlan = quick
  ? { connections: idle, devices: 40, keepaliveS: 10, idleMs: 1000, repeats: 3, ingestRate: 2000, ingestMs: 1000 }
  : { connections: idle, devices: 500, keepaliveS: 30, idleMs: 35_000, repeats: 3, ingestRate: 5000, ingestMs: 5000 }
const queriesPlan: QueriesPlan = quick
  ? { dataset: { members: 10, devicesPerMember: 2, days: 7, stepMs: 180_000 }, repeats: 5 }
  : { dataset: { members: 50, devicesPerMember: 4, days: 7, stepMs: 180_000 }, repeats: 20 }
const dashboardRepeats = quick ? 3 : 5

const started = Date.now()
const report = new Report()
const log = new ResultLog(quick)
const host = machine()
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
console.log(`Tsudoi benchmarks${quick ? ' (--quick)' : ''}${values.mqtt5 === true ? ' (MQTT 5 devices)' : ''}: ${host.nproc} × ${host.cpu}, ${host.memoryGB} GB, Node ${host.node}, Linux ${host.kernel}, load average ${host.loadAvg}`)
console.log(`results → ${log.file}`)
log.write('machine', { ...host, command })
const busy = Number(host.loadAvg.split(' ')[0])
if (busy > host.nproc) {
  report.notice(`the machine is busy before we start (load average ${host.loadAvg} on ${host.nproc} cores): other processes take CPU from the hub and the peers alike, so rates are lower and latencies higher than on an idle machine — see "other processes CPU %" in the ladders`)
}

const influxVersion = influxdAvailable()
const mosquitto = mosquittoVersion()
let influx: Influxd | undefined
const outcomes: Outcomes = { ingest: {} }

async function withTarget<T> (start: () => Promise<IngestTarget & T>, work: (target: IngestTarget & T, generator: LoadGenerator) => Promise<void>, what: string): Promise<void> {
  let target: IngestTarget & T
  try {
    target = await start()
  } catch (error) {
    report.notice(`${what} skipped: ${(error as Error).message.split('\n')[0]}`)
    return
  }
  for (const note of target.notes) report.notice(note)
  const generator = await LoadGenerator.start(2)
  try {
    const connected = await generator.connect('127.0.0.1', target.mqttPort, target.logins)
    if (connected.failed > 0) throw new Error(`${connected.failed} of ${target.logins.length} connections failed: ${connected.firstError}`)
    await work(target, generator)
  } finally {
    await generator.close()
    await target.stop()
  }
}

/** Runs one measurement; a failure is reported and the run goes on with the next. */
async function guard (what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (error) {
    console.error(error)
    report.notice(`${what} failed: ${(error as Error).message.split('\n')[0]}`)
    log.write('error', { what, message: (error as Error).message })
  }
}

/** The hub's main-thread profile of this run (the largest file written since `since`), summarised. */
function printProfile (dir: string, since: number): void {
  const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)).filter((f) => f.endsWith('.cpuprofile') && statSync(f).mtimeMs >= since) : []
  const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]
  if (main === undefined) {
    report.notice(`no CPU profile was written to ${dir}`)
    return
  }
  console.log(`\nCPU profile of the hub (embedded store, ingest${only.has('overload') ? ' and overload' : ''}):\n${summarizeProfile(main, 20)}`)
  log.write('profile', { file: main })
}

try {
  // The dashboard is built first: the hub serves dashboard/dist only if it exists when it starts.
  const dashboardProblem = only.has('dashboard') ? buildDashboard() : undefined
  if (influxVersion === undefined) report.notice('influxd not found (install InfluxDB 1.x or set INFLUXD_BIN): everything on InfluxDB and the peer pipeline are skipped')
  else influx = await startInfluxd()
  if (mosquitto === undefined) report.notice('mosquitto not found (apt-get install mosquitto or set MOSQUITTO_BIN): the peer pipeline is skipped')

  if (only.has('ingest') || only.has('overload')) {
    const nodeFlags = values.profile === true ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS_DIR}profiles`] : undefined
    await guard('the hub on the embedded store', async () => {
      await withTarget(() => startHubTarget({ store: 'embedded', connections: ingestConnections, ...(nodeFlags === undefined ? {} : { nodeFlags }) }), async (target, generator) => {
        if (only.has('ingest')) {
          outcomes.ingest.embedded = await measureIngest(target, generator, ingestPlan, log, { qos0: true })
          ladderTable(report, outcomes.ingest.embedded)
        }
        if (only.has('overload')) outcomes.overload = await measureOverload(target, generator, overloadPlan, report, log)
      }, 'the hub on the embedded store')
    })
    if (values.profile === true) printProfile(`${RESULTS_DIR}profiles`, started)
  }
  if (only.has('ingest') && influx !== undefined) {
    await guard('ingest on the hub with InfluxDB', async () => {
      await withTarget(() => startHubTarget({ store: 'influx', influx: influx!, connections: ingestConnections }), async (target, generator) => {
        outcomes.ingest.influx = await measureIngest(target, generator, ingestPlan, log, { qos0: !quick })
        ladderTable(report, outcomes.ingest.influx)
      }, 'ingest on the hub with InfluxDB')
    })
    if (mosquitto !== undefined) {
      await guard('the peer pipeline', async () => {
        await withTarget(() => startPeerTarget(influx!, ingestConnections), async (target, generator) => {
          outcomes.ingest.peer = await measureIngest(target, generator, ingestPlan, log, { qos0: !quick })
          ladderTable(report, outcomes.ingest.peer)
        }, 'the peer pipeline')
      })
    }
    if (quick) report.notice('--quick: QoS 0 is measured on the embedded hub only, and 1 s steps let a backlog that would keep growing still drain within 2.5 s: the full run (8 s steps) is the one to quote')
  }
  if (only.has('ingest')) comparisonTable(report, outcomes)
  if (only.has('connections')) await guard('connections', async () => { outcomes.connections = await measureConnections(connectionsPlan, report, log) })
  if (only.has('queries') || only.has('dashboard')) {
    if (quick) report.notice(`--quick: the query data set has ${queriesPlan.dataset.members} members × ${queriesPlan.dataset.devicesPerMember} devices instead of 50 × 4`)
    await guard('queries', async () => {
      outcomes.queries = await measureQueries(queriesPlan, influx, report, log, only.has('dashboard')
        ? async (httpUrl) => { await guard('dashboard', async () => { outcomes.dashboard = await measureDashboard(httpUrl, dashboardRepeats, dashboardProblem, report, log) }) }
        : undefined)
    })
  }
  targetsTable(report, outcomes)
} finally {
  await influx?.dispose()
}

const seconds = (Date.now() - started) / 1000
const after = machine()
console.log(`\ndone in ${seconds.toFixed(0)} s (load average now ${after.loadAvg}); results appended to ${log.file}`)
const markdown = `${RESULTS_DIR}${log.runId.replace(/[:.]/g, '-')}.md`
writeFileSync(markdown, [
  `Command: \`${command}\` — ${seconds.toFixed(0)} s`,
  `Machine: ${host.nproc} × ${host.cpu}, ${host.memoryGB} GB RAM, Node ${host.node}, Linux ${host.kernel}; load average ${host.loadAvg} at start, ${after.loadAvg} at the end`,
  `InfluxDB: ${influxVersion ?? 'not installed'}; Mosquitto: ${mosquitto ?? 'not installed'}`,
  '',
  ...report.markdown
].join('\n'))
console.log(`Markdown tables → ${markdown}`)
log.write('done', { seconds, loadAvgEnd: after.loadAvg })
// Child processes are gone; a probe's stream or a timer must not keep the run open.
process.exit(0)
