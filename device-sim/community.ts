import type { Sector } from '../server/domain/sectors.ts'
import { type Weather, createWeather } from './climate.ts'
import { profiles } from './profiles/index.ts'
import type { DeviceKind, MemberContext, Normalizers } from './profiles/types.ts'
import { hashString, hashUnit, rngFor } from './random.ts'
import { DeviceSampler } from './readings.ts'

// The simulated community, built from the seed alone: the same seed, member count and
// sectors give the same businesses, the same devices and the same traits. Ids depend only
// on the seed, the sector and the member's rank in it, so growing --members keeps the
// members (and the credentials in the state file) of a smaller run.

export interface SectorShare { sector: Sector, count?: number }

export interface CommunitySpec {
  seed: number
  members: number
  sectors: readonly SectorShare[]
  devicesPerMember: number
  format: 'json' | 'plain'
  /** When the meters start counting (epoch ms); see meter.ts. */
  meterEpoch: number
}

export interface SimMember {
  id: string
  name: string
  sector: Sector
  normalizers: Normalizers
  context: MemberContext
}

export interface SimDevice {
  id: string
  name: string
  member: SimMember
  format: 'json' | 'plain'
  kind: DeviceKind
  sampler: DeviceSampler
}

export interface Community { seed: number, members: SimMember[], devices: SimDevice[], weather: Weather }

/** Which sector each member is in: fixed counts first, the rest shared round-robin. */
export function assignSectors (members: number, shares: readonly SectorShare[]): Sector[] {
  const fixed = shares.filter((s) => s.count !== undefined)
  const open = shares.filter((s) => s.count === undefined)
  const out: Sector[] = fixed.flatMap((s) => Array<Sector>(s.count ?? 0).fill(s.sector))
  if (out.length > members) throw new RangeError(`the sector counts add up to ${out.length}, more than --members ${members}`)
  if (open.length === 0 && out.length < members) throw new RangeError(`the sector counts add up to ${out.length}, fewer than --members ${members}`)
  for (let i = 0; out.length < members; i++) out.push((open[i % open.length] as SectorShare).sector)
  return out
}

function memberContext (seed: number, id: string, weather: Weather): MemberContext {
  const rng = rngFor(seed, `member:${id}`)
  const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v))
  return {
    size: clamp(rng.logNormal(0.45), 0.45, 2.6),
    efficiency: clamp(rng.logNormal(0.16), 0.75, 1.35),
    ventilation: clamp(rng.logNormal(0.25), 0.6, 1.6),
    popularity: rng.between(0.7, 1.25),
    closedWeekday: rng.pick([1, 2, 3, 4]), // 定休日 is usually early in the week
    trait: (name) => hashUnit(hashString(`${seed}:${id}:${name}`), 0),
    weather
  }
}

function memberName (seed: number, sector: Sector, rank: number): string {
  const names = profiles[sector].names
  const offset = Math.floor(hashUnit(hashString(`${seed}:names:${sector}`), 0) * names.length)
  const name = names[(offset + rank - 1) % names.length] ?? sector
  const round = Math.ceil(rank / names.length)
  return round > 1 ? `${name} ${round}` : name
}

export function buildCommunity (spec: CommunitySpec): Community {
  const weather = createWeather(spec.seed)
  const ranks = new Map<Sector, number>()
  const members = assignSectors(spec.members, spec.sectors).map((sector): SimMember => {
    const rank = (ranks.get(sector) ?? 0) + 1
    ranks.set(sector, rank)
    const id = `s${spec.seed}-${sector}-${String(rank).padStart(2, '0')}`
    const context = memberContext(spec.seed, id, weather)
    return { id, name: memberName(spec.seed, sector, rank), sector, normalizers: profiles[sector].normalizers(context), context }
  })
  const devices = members.flatMap((member) => {
    const kinds = profiles[member.sector].devices
    return Array.from({ length: spec.devicesPerMember }, (_, j): SimDevice => {
      const kind = kinds[j % kinds.length] as DeviceKind
      const copy = Math.floor(j / kinds.length)
      const id = `${member.id}-${kind.key}${copy > 0 ? `-${copy + 1}` : ''}`
      return {
        id,
        name: copy > 0 ? `${kind.name} ${copy + 1}` : kind.name,
        member,
        format: spec.format,
        kind,
        sampler: new DeviceSampler(spec.seed, id, kind, member.context, spec.meterEpoch)
      }
    })
  })
  return { seed: spec.seed, members, devices, weather }
}
