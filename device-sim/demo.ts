import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../server/config.ts'
import { createHub } from '../server/hub.ts'
import { type ProvisionedMember, runSimulation } from './simulation.ts'
import { StatusLine } from './status.ts'
import { formatSummary } from './summary.ts'
import { showEvents, stopOnSignals } from './terminal.ts'

// `npm run demo`: a hub and a living community in one process, for a projector. Sixteen
// members in five sectors — agriculture with only two, below k = 3, so the dashboard shows
// what suppression looks like — a week of history, then live data every 10 s. Ctrl-C stops
// the simulator, then the hub (its acknowledged readings are durable before it stops).
// Settings come from the environment like the hub's own (TSUDOI_*); without a
// TSUDOI_DATA_DIR the demo runs in a fresh temporary directory, removed when it stops.

const DEMO_SECTORS = 'restaurant:5,accommodation:3,fishery:3,aquaculture:3,agriculture:2'
const SHOWCASE_SECTOR = 'restaurant'

async function main (): Promise<number> {
  const temporary = process.env.TSUDOI_DATA_DIR === undefined || process.env.TSUDOI_DATA_DIR === ''
  const dataDir = temporary ? mkdtempSync(join(tmpdir(), 'tsudoi-demo-')) : process.env.TSUDOI_DATA_DIR!
  // A short release grace (docs/privacy.md): the backfilled week is compared a minute or two after start, not ten.
  const config = loadConfig({ TSUDOI_LOG_LEVEL: 'error', TSUDOI_RELEASE_GRACE: '30s', ...process.env, TSUDOI_DATA_DIR: dataDir })
  const hub = createHub(config)
  await hub.start()
  const stateFile = join(dataDir, 'sim-state.json')
  const line = new StatusLine(process.stderr)
  const { signal, release } = stopOnSignals(line, 'stopping the simulator, then the hub… (Ctrl-C again to quit at once)')
  const onEvent = showEvents(line, (event) => line.note(banner(hub.httpUrl, hub.adminToken, event.members, backfill)))

  const backfill = process.env.TSUDOI_DEMO_BACKFILL ?? '7d'
  let code = 0
  try {
    const summary = await runSimulation({
      url: hub.mqttUrl,
      api: hub.httpUrl,
      adminToken: hub.adminToken,
      provision: true,
      state: stateFile,
      sectors: DEMO_SECTORS,
      devicesPerMember: 2,
      seed: Number(process.env.TSUDOI_DEMO_SEED ?? 7),
      interval: process.env.TSUDOI_DEMO_INTERVAL ?? '10s',
      backfill,
      faults: 'dropout:0.005,malformed:0.002'
    }, { signal, onEvent })
    line.clear()
    process.stdout.write(`${formatSummary(summary)}\n`)
  } catch (error) {
    line.clear()
    process.stderr.write(`demo: ${(error as Error).message}\n`)
    code = 2
  } finally {
    await hub.stop()
    release()
    // A week of readings for 16 members is ~30 MB: nothing of a throwaway demo stays behind.
    if (temporary) rmSync(dataDir, { recursive: true, force: true })
  }
  return code
}

function banner (httpUrl: string, adminToken: string, members: readonly ProvisionedMember[], backfill: string): string {
  const showcase = members.find((m) => m.sector === SHOWCASE_SECTOR) ?? members[0]
  const sectors = new Map<string, number>()
  for (const m of members) sectors.set(m.sector, (sectors.get(m.sector) ?? 0) + 1)
  return [
    '',
    `Tsudoi demo — ${members.length} members: ${[...sectors].map(([s, n]) => `${s} ${n}`).join(', ')}`,
    showcase === undefined ? '' : `  Dashboard as ${showcase.name} (${showcase.sector}):  ${httpUrl}/#key=${showcase.accessKey}`,
    `  Organizer token: ${adminToken}`,
    `  Backfilling ${backfill} of history, then live every few seconds. Ctrl-C to stop.`,
    ''
  ].join('\n')
}

process.exitCode = await main()
