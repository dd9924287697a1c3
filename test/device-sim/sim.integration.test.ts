import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { type Hub, createHub } from '../../server/hub.ts'
import { backfillTimes } from '../../device-sim/backfill.ts'
import { buildCommunity } from '../../device-sim/community.ts'
import { SimulationError } from '../../device-sim/errors.ts'
import { type SimEvent, runSimulation } from '../../device-sim/simulation.ts'

// The simulator against a real hub (in-process, ports 0): provisioning through the admin API,
// readings and backfill arriving with the right timestamps and values, malformed payloads
// refused by the hub and counted on both sides, state reuse, and the failures that stop a run.

const ADMIN = 'sim-integration-admin-token'
let dir: string
let hub: Hub

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsudoi-sim-it-'))
  const config = loadConfig({
    TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_HOST: '127.0.0.1', TSUDOI_DATA_DIR: join(dir, 'hub'),
    TSUDOI_ADMIN_TOKEN: ADMIN, TSUDOI_LOG_LEVEL: 'silent', TSUDOI_SYNC: 'normal'
  })
  hub = createHub(config)
  await hub.start()
})

afterAll(async () => {
  await hub?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function asMember<T> (accessKey: string, path: string): Promise<T> {
  const response = await fetch(`${hub.httpUrl}${path}`, { headers: { authorization: `Bearer ${accessKey}` } })
  expect(response.status).toBe(200)
  return await response.json() as T
}

interface Reading { time: number, device: string, metric: string, value: number }
const SEED = 11
const base = () => ({
  url: hub.mqttUrl, api: hub.httpUrl, adminToken: ADMIN, provision: true, state: join(dir, 'state.json'),
  sectors: 'public:1,fishery:1', devicesPerMember: 1, seed: SEED
})

describe('the simulator against a real hub', () => {
  let accessKeys: Record<string, string> = {}

  it('provisions, backfills, reports live and has its malformed payloads refused', async () => {
    const events: SimEvent[] = []
    const started = Date.now()
    const summary = await runSimulation({ ...base(), interval: '500ms', duration: '3s', backfill: '6h', backfillInterval: '30m', faults: 'malformed:0.5' },
      { statusEveryMs: 0, onEvent: (e) => events.push(e) })

    const provisioned = events.find((e) => e.type === 'provisioned')
    expect(provisioned).toMatchObject({ report: { created: { members: 2, devices: 2 }, rotated: 0 } })
    if (provisioned?.type !== 'provisioned') throw new Error('no provisioned event')
    accessKeys = Object.fromEntries(provisioned.members.map((m) => [m.id, m.accessKey]))
    expect(events.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.phase))
      .toEqual(['provisioning', 'connecting', 'backfill', 'live', 'stopping', 'done'])

    expect(summary).toMatchObject({ members: 2, devices: 2, connectFailures: [], messages: { failed: 0 } })
    expect(summary.messages.acknowledged).toBe(summary.messages.sent)
    expect(summary.readings.live).toBeGreaterThan(0)
    expect(summary.faults.malformed.sent).toBeGreaterThan(0)
    // Counted by both sides: the simulator's refusals (from the errors topics) are exactly its malformed payloads…
    expect(summary.refusedByHub.total).toBe(summary.faults.malformed.sent)

    // …and the hub remembers the same refusals for each member's devices.
    let hubRefusals = 0
    for (const key of Object.values(accessKeys)) {
      const { errors } = await asMember<{ errors: Array<{ code: string }> }>(key, '/api/me/errors')
      hubRefusals += errors.length
    }
    expect(hubRefusals).toBe(summary.faults.malformed.sent)

    // The backfill landed at its own timestamps, with the values the profile gives for them.
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { meterEpochs: Record<string, number> }
    const community = buildCommunity({ seed: SEED, members: 2, sectors: [{ sector: 'public', count: 1 }, { sector: 'fishery', count: 1 }], devicesPerMember: 1, format: 'json', meterEpoch: state.meterEpochs[String(SEED)] ?? 0 })
    for (const device of community.devices) {
      const { readings } = await asMember<{ readings: Reading[] }>(accessKeys[device.member.id] ?? '', `/api/me/readings?device=${device.id}&from=-1d&limit=10000`)
      const firstLive = Math.min(...readings.filter((r) => r.time >= started).map((r) => r.time))
      const history = readings.filter((r) => r.time < started)
      const expectedTimes = backfillTimes({ from: summary.simulatedFrom, to: started, step: 1_800_000 })
      expect(expectedTimes.length).toBeGreaterThanOrEqual(11)
      expect([...new Set(history.map((r) => r.time))].sort()).toEqual(expectedTimes)
      const sample = history.find((r) => r.time === expectedTimes[3])
      expect(sample?.value).toBe(device.sampler.sample(expectedTimes[3] ?? 0)[sample?.metric ?? ''])
      expect(firstLive).toBeGreaterThanOrEqual(started)
      expect(readings.filter((r) => r.time >= started).length).toBeGreaterThan(0)
    }
  })

  it('reuses the members and devices of the state file on the next run, and its counters carry on', async () => {
    const events: SimEvent[] = []
    const summary = await runSimulation({ ...base(), interval: '500ms', duration: '1500ms' }, { statusEveryMs: 0, onEvent: (e) => events.push(e) })
    expect(events.find((e) => e.type === 'provisioned')).toMatchObject({ report: { created: { members: 0, devices: 0 }, reused: { members: 2, devices: 2 }, rotated: 0 } })
    expect(summary.connectFailures).toEqual([])
    const publicMember = Object.entries(accessKeys).find(([id]) => id.includes('public'))
    const { readings } = await asMember<{ readings: Reading[] }>(publicMember?.[1] ?? '', '/api/me/readings?metric=energy&from=-1d&limit=10000')
    const ordered = [...readings].sort((a, b) => a.time - b.time).map((r) => r.value)
    expect(ordered.length).toBeGreaterThan(1) // both runs' readings: the loop below compares something
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]).toBeGreaterThanOrEqual(ordered[i - 1] ?? 0)
  })

  it('fails with CONNECT_FAILED when nothing answers at the MQTT address', async () => {
    const run = runSimulation({ ...base(), url: 'mqtt://127.0.0.1:1', duration: '1s', connectTimeout: '2s' }, { statusEveryMs: 0 })
    await expect(run).rejects.toMatchObject({ name: 'SimulationError', code: 'CONNECT_FAILED' })
  })

  it('fails with PROVISION_FAILED on a wrong admin token, and the CLI exits 2 saying why', async () => {
    const run = runSimulation({ ...base(), adminToken: 'not-the-token', state: join(dir, 'other.json') }, { statusEveryMs: 0 })
    await expect(run).rejects.toBeInstanceOf(SimulationError)
    await expect(run).rejects.toMatchObject({ code: 'PROVISION_FAILED' })

    const cli = spawn(process.execPath, ['bin/tsudoi-sim.mjs', '--provision', '--api', hub.httpUrl, '--admin-token', 'not-the-token', '--state', join(dir, 'cli.json')], { cwd: join(import.meta.dirname, '../..') })
    let stderr = ''
    cli.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise<number | null>((resolve) => cli.on('close', resolve))
    expect(code).toBe(2)
    expect(stderr).toMatch(/provisioning failed: .*401.*admin-token/)
  })
})
