import { parseArgs } from 'node:util'
import { DEFAULT_SECTORS, type SimulationInput, defaultFaultRates, faultNames } from './options.ts'
import { sectors } from '../server/domain/sectors.ts'
import { organizerToken } from '../server/cli/organizer-token.ts'

// The command line, mapped onto the programmatic options (which validate it with zod).

export const HELP = `tsudoi-sim — simulate a community of businesses and their sensors publishing to a Tsudoi hub

Usage: npx tsudoi-sim [options]      (or: npm run sim -- [options])

Connection
  --url URL                 the hub's MQTT address: mqtt://host:1883 or ws://host:8080/mqtt
                            (default: mqtt://<host of --api>:1883)
  --qos 0|1|2               QoS of live readings (default 1; backfill and backlogs always use 1)
Community
  --members N               number of member businesses (default 12, or the sum of sector counts)
  --devices-per-member M    devices each member installs (default 2)
  --sectors LIST            sectors, optionally with a member count: restaurant:5,fishery,office
                            (default ${DEFAULT_SECTORS}; known: ${sectors.join(', ')})
  --seed N                  same seed → same community and same values (default 1)
  --format json|plain       JSON telemetry objects or one plain number per metric topic (default json)
Provisioning
  --provision               create the members and devices through the hub's admin API
  --api URL                 the hub's HTTP address, e.g. http://localhost:8080
  --admin-token TOKEN       organizer token (default: $TSUDOI_ADMIN_TOKEN, else $TSUDOI_DATA_DIR/admin-token)
  --state FILE              credentials kept between runs (default .tsudoi-sim.json; contains secrets)
Time
  --interval D              each device reports every D of simulated time (default 10s)
  --speed X                 time acceleration: replays the recent past X times faster, then
                            continues in real time (never stamps readings in the future)
  --duration D              stop after D of real time (default: until Ctrl-C)
  --backfill D              first publish D of history (e.g. 7d) as timestamped backlog arrays, QoS 1,
                            as fast as the hub acknowledges
  --backfill-interval D     spacing of the history (default: the larger of --interval and 5m)
  --batch N                 readings per backlog array (default 50)
Faults (counted and reported at the end)
  --faults LIST             ${faultNames.join(', ')}, each with an optional rate: malformed:0.05
                            (defaults: ${Object.entries(defaultFaultRates).map(([k, v]) => `${k} ${v}`).join(', ')})
                            dropout/offline-backlog/malformed: chance per reading; clock-skew: share of devices
Output
  --json                    print the final summary as JSON
  -h, --help                this help

Durations: 500ms, 10s, 5m, 1h30m, 7d. Exit status: 0 ok, 1 some devices could not connect,
2 could not provision, connect or start at all.

Examples
  npx tsudoi-sim --provision --api http://localhost:8080 --admin-token $TOKEN --backfill 7d
  npx tsudoi-sim --url ws://localhost:8080/mqtt --faults malformed:0.02,dropout --speed 60 --duration 10m
`

export interface CliRequest { help: boolean, json: boolean, input: SimulationInput }

const flags = {
  url: { type: 'string' },
  api: { type: 'string' },
  'admin-token': { type: 'string' },
  provision: { type: 'boolean' },
  state: { type: 'string' },
  members: { type: 'string' },
  'devices-per-member': { type: 'string' },
  sectors: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string' },
  interval: { type: 'string' },
  speed: { type: 'string' },
  duration: { type: 'string' },
  backfill: { type: 'string' },
  'backfill-interval': { type: 'string' },
  batch: { type: 'string' },
  qos: { type: 'string' },
  faults: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

/** Parses argv into options; unknown flags throw (a TypeError naming the flag). */
export function parseCli (argv: readonly string[], env: Record<string, string | undefined> = {}): CliRequest {
  const { values: v } = parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false })
  const input: Record<string, unknown> = {
    url: v.url,
    api: v.api,
    adminToken: organizerToken(v['admin-token'], env),
    provision: v.provision ?? false,
    state: v.state ?? '.tsudoi-sim.json',
    members: v.members,
    devicesPerMember: v['devices-per-member'],
    sectors: v.sectors,
    seed: v.seed,
    format: v.format,
    interval: v.interval,
    speed: v.speed,
    duration: v.duration,
    backfill: v.backfill,
    backfillInterval: v['backfill-interval'],
    batch: v.batch,
    qos: v.qos,
    faults: v.faults
  }
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key]
  return { help: v.help ?? false, json: v.json ?? false, input: input as SimulationInput }
}

/** `adminToken` → `--admin-token`, to name flags in validation errors. */
export function flagName (optionPath: string): string {
  return `--${optionPath.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}
