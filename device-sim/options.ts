import { z } from 'zod'
import { type Sector, sectors } from '../server/domain/sectors.ts'
import type { SectorShare } from './community.ts'
import { parseDuration } from '../server/domain/duration.ts'

// What a simulation accepts, validated once at the edge (docs/architecture.md: validate at every edge). The CLI hands its flags
// here as strings; the programmatic API may pass numbers (ms) or the same strings.

export const faultNames = ['dropout', 'offline-backlog', 'clock-skew', 'malformed'] as const
export type FaultName = typeof faultNames[number]
export type FaultRates = Partial<Record<FaultName, number>>

/**
 * Rates when a fault is named without one. dropout, offline-backlog and malformed are chances
 * per device per reading; clock-skew is the share of devices whose clock is wrong.
 */
export const defaultFaultRates: Record<FaultName, number> = { dropout: 0.01, 'offline-backlog': 0.003, 'clock-skew': 0.2, malformed: 0.01 }

/**
 * A field that takes either its plain form (numbers, arrays) or the string a person types.
 * One transform rather than a z.union: a union would hide the precise message behind
 * "Invalid input".
 */
function flexible<In, Out> (parse: (value: In, fail: (message: string) => void) => Out) {
  return z.custom<In>().transform((value, ctx) => parse(value, (message) => ctx.addIssue({ code: 'custom', message })))
}

const duration = () => flexible<number | string, number>((value, fail) => {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : undefined
  if (ms === undefined || !(ms >= 0)) fail(`${JSON.stringify(value)} is not a duration (e.g. 500ms, 10s, 5m, 1h, 7d)`)
  return ms ?? 0
})

const isFault = (name: string): name is FaultName => (faultNames as readonly string[]).includes(name)

const faultsSchema = flexible<string | FaultRates, FaultRates>((value, fail) => {
  const items: Array<[string, unknown]> = typeof value === 'string'
    ? value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((item) => {
      const [name = '', rate] = item.split(/[:=]/)
      return [name, rate]
    })
    : Object.entries(value ?? {})
  const out: FaultRates = {}
  for (const [name, raw] of items) {
    const rate = raw === undefined || raw === '' ? undefined : Number(raw)
    if (!isFault(name)) fail(`unknown fault "${name}" (known: ${faultNames.join(', ')})`)
    else if (rate !== undefined && !(rate >= 0 && rate <= 1)) fail(`fault ${name}: rate ${JSON.stringify(raw)} must be a number from 0 to 1`)
    else out[name] = rate ?? defaultFaultRates[name]
  }
  return out
})

const isSector = (name: string): name is Sector => (sectors as readonly string[]).includes(name)

const sectorShares = flexible<string | SectorShare[], SectorShare[]>((value, fail) => {
  const items: Array<[string, unknown]> = typeof value === 'string'
    ? value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((item) => {
      const [name = '', count] = item.split(':')
      return [name, count]
    })
    : Array.isArray(value) ? value.map((share) => [share.sector, share.count]) : []
  return items.flatMap(([name, raw]): SectorShare[] => {
    const count = raw === undefined || raw === '' ? undefined : Number(raw)
    if (!isSector(name)) fail(`unknown sector "${name}" (known: ${sectors.join(', ')})`)
    else if (count !== undefined && !(Number.isInteger(count) && count >= 0)) fail(`sector ${name}: count ${JSON.stringify(raw)} must be a whole number`)
    else return [count === undefined ? { sector: name } : { sector: name, count }]
    return []
  })
})

/** Four sectors with three members each: enough for the hub to show comparisons (k = 3). */
export const DEFAULT_SECTORS = 'restaurant,accommodation,fishery,retail'

export const simulationOptionsSchema = z.object({
  url: z.string().regex(/^(mqtt|mqtts|tcp|ws|wss):\/\/[^/]+/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL').optional(),
  api: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  adminToken: z.string().min(1).optional(),
  provision: z.boolean().default(false),
  state: z.string().min(1).optional(),
  members: z.coerce.number().int().min(1).max(2000).optional(),
  devicesPerMember: z.coerce.number().int().min(1).max(20).default(2),
  sectors: sectorShares.prefault(DEFAULT_SECTORS),
  interval: duration().prefault(10_000),
  speed: z.coerce.number().min(0.1).max(100_000).default(1),
  duration: duration().optional(),
  seed: z.coerce.number().int().min(0).max(0xffff_ffff).default(1),
  format: z.enum(['json', 'plain']).default('json'),
  faults: faultsSchema.prefault({}),
  backfill: duration().optional(),
  backfillInterval: duration().optional(),
  batch: z.coerce.number().int().min(1).max(1000).default(50),
  qos: z.coerce.number().pipe(z.union([z.literal(0), z.literal(1), z.literal(2)])).default(1),
  connectTimeout: duration().prefault(10_000),
  /** When the simulated meters started counting; taken from the state file when there is one. */
  meterEpoch: z.number().optional()
}).superRefine((o, ctx) => {
  if (o.provision && o.api === undefined) ctx.addIssue({ code: 'custom', path: ['api'], message: 'provisioning needs the hub\'s HTTP address (--api http://host:8080)' })
  if (o.provision && o.adminToken === undefined) ctx.addIssue({ code: 'custom', path: ['adminToken'], message: 'provisioning needs the organizer token (--admin-token, TSUDOI_ADMIN_TOKEN, or the hub\'s data/admin-token file in the folder it runs from)' })
  if (!o.provision && o.state === undefined) ctx.addIssue({ code: 'custom', path: ['provision'], message: 'devices need credentials: use --provision, or a --state file from an earlier --provision run' })
  if (o.interval / o.speed < 20) ctx.addIssue({ code: 'custom', path: ['interval'], message: 'interval / speed is below 20 ms per device: raise --interval or lower --speed' })
  if (o.interval < 100) ctx.addIssue({ code: 'custom', path: ['interval'], message: 'interval must be at least 100ms' })
  const { counted, open } = tally(o.sectors)
  if (o.sectors.length === 0) ctx.addIssue({ code: 'custom', path: ['sectors'], message: 'name at least one sector' })
  if (o.members !== undefined && (counted > o.members || (open === 0 && counted !== o.members))) {
    ctx.addIssue({ code: 'custom', path: ['members'], message: `--members ${o.members} does not match the sector counts (${counted})` })
  }
})

function tally (shares: readonly SectorShare[]): { counted: number, open: number } {
  let counted = 0
  let open = 0
  for (const share of shares) {
    if (share.count === undefined) open++
    else counted += share.count
  }
  return { counted, open }
}

export type SimulationInput = z.input<typeof simulationOptionsSchema>
type Parsed = z.output<typeof simulationOptionsSchema>

export interface SimulationOptions extends Omit<Parsed, 'members' | 'sectors' | 'url'> {
  url: string
  members: number
  sectors: SectorShare[]
  backfillInterval: number
}

/** Validates and fills in the defaults that depend on other options. Throws a ZodError. */
export function resolveOptions (input: SimulationInput): SimulationOptions {
  const o = simulationOptionsSchema.parse(input)
  const { counted, open } = tally(o.sectors)
  const members = o.members ?? (open === 0 ? counted : Math.max(12, counted + open))
  const host = o.api === undefined ? 'localhost' : new URL(o.api).hostname
  return {
    ...o,
    url: o.url ?? `mqtt://${host}:1883`,
    members,
    sectors: o.sectors,
    // A week at a 10 s interval would be 60 000 readings a device; history every 5 min shows the same shape.
    backfillInterval: o.backfillInterval ?? Math.max(o.interval, 300_000)
  }
}
