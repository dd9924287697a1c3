import { type ChildProcess, spawn } from 'node:child_process'
import { ROOT } from '../lib/hub-process.ts'
import { type Influxd, countPoints, influxdPid } from '../lib/influx.ts'
import { startMosquitto } from '../lib/mosquitto.ts'
import { InfluxPollProbe, type QueryableProbe } from '../lib/queryable.ts'
import { alive } from '../lib/proc-stats.ts'
import type { IngestTarget } from './target.ts'

export const PEER_DB = 'peer_bench'

/** Mosquitto + peers/mosquitto-bridge.ts + the same influxd as the hub. */
export async function startPeerTarget (influx: Influxd, connections: number): Promise<IngestTarget> {
  const mosquitto = await startMosquitto()
  let output = ''
  const bridge: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/peers/mosquitto-bridge.ts'], {
    cwd: ROOT,
    env: { ...process.env, BRIDGE_MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`, BRIDGE_INFLUX_URL: influx.url, BRIDGE_DB: PEER_DB },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const orphan = (): void => { bridge.kill('SIGKILL') }
  process.once('exit', orphan)
  bridge.once('exit', () => process.off('exit', orphan))
  let stats = new Map<string, number>()
  bridge.stdout!.on('data', (chunk) => {
    output = (output + chunk).slice(-10_000)
    const lines = output.match(/bridge stats (\{.*\})/g)
    const latest = lines?.at(-1)
    if (latest !== undefined) {
      const parsed = JSON.parse(latest.slice('bridge stats '.length)) as Record<string, number>
      stats = new Map(Object.entries(parsed).map(([key, value]) => [`bridge_${key}`, value]))
    }
  })
  bridge.stderr!.on('data', (chunk) => { output = (output + chunk).slice(-10_000) })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${output}`)), 30_000)
    bridge.stdout!.on('data', () => { if (output.includes('bridge ready')) { clearTimeout(timer); resolve() } })
    bridge.once('exit', (code) => { clearTimeout(timer); reject(new Error(`bridge exited ${code}: ${output}`)) })
  })
  const members = Math.ceil(connections / 4)
  const logins = Array.from({ length: members * 4 }, (_, i) => {
    const member = `bm${Math.floor(i / 4)}`
    const device = `${member}-d${i % 4}`
    return { clientId: device, username: device, password: 'unused', topic: `tsudoi/${member}/${device}/telemetry` }
  }).slice(0, connections)
  const processes = [{ label: 'mosquitto', pid: mosquitto.pid }, { label: 'bridge', pid: bridge.pid! }]
  const influxPid = influxdPid(influx.dir)
  if (influxPid !== undefined) processes.push({ label: 'influxd', pid: influxPid })
  const probes: QueryableProbe[] = []
  return {
    name: 'Mosquitto + Node bridge + InfluxDB',
    key: 'peer',
    mqttPort: mosquitto.port,
    logins,
    processes,
    stored: async (from, to) => await countPoints(influx.url, PEER_DB, from, to),
    probe () {
      const probe = new InfluxPollProbe(influx.url, PEER_DB, logins[0]!.username)
      probes.push(probe)
      return probe
    },
    async healthy () { return alive(mosquitto.pid) && alive(bridge.pid!) },
    // The bridge reports every 250 ms: wait one report so the counts cover the step.
    diagnostics: async () => { await new Promise((resolve) => setTimeout(resolve, 300)); return stats },
    notes: [],
    async stop () {
      for (const probe of probes) probe.close()
      if (bridge.exitCode === null) {
        const exited = new Promise<void>((resolve) => bridge.once('exit', () => resolve()))
        bridge.kill('SIGTERM')
        await exited
      }
      await mosquitto.stop()
    }
  }
}
