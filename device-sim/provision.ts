import type { Community } from './community.ts'
import type { SimState } from './state.ts'

// Creates the simulated community on the hub through its admin API (docs/api.md), or reuses
// what an earlier run created. The hub keeps only hashes of secrets, so a member or device
// that exists on the hub but whose secret the state file lacks gets a rotated key or token.

export class ProvisionError extends Error {
  constructor (message: string, readonly status?: number, readonly code?: string) {
    super(message)
    this.name = 'ProvisionError'
  }
}

export interface AdminApi {
  api: string
  adminToken: string
  fetch?: typeof fetch
  signal?: AbortSignal
  /** Called after each secret the hub issues, so an interrupted run keeps what it created. */
  save?: (state: SimState) => void
}

export interface ProvisionReport { created: { members: number, devices: number }, reused: { members: number, devices: number }, rotated: number }

async function call<T> (admin: AdminApi, method: string, path: string, body?: unknown): Promise<T> {
  const doFetch = admin.fetch ?? fetch
  let response: Response
  try {
    response = await doFetch(new URL(path, admin.api), {
      method,
      headers: { authorization: `Bearer ${admin.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: admin.signal
    })
  } catch (error) {
    throw new ProvisionError(`cannot reach the hub at ${admin.api}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`)
  }
  const text = await response.text()
  if (!response.ok) {
    let code: string | undefined
    let message = text.slice(0, 300)
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string, message?: string } }
      code = parsed.error?.code
      message = parsed.error?.message ?? message
    } catch {}
    const hint = response.status === 401 ? ' (is --admin-token right?)' : ''
    throw new ProvisionError(`${method} ${path}: ${response.status} ${code ?? ''} ${message}${hint}`.replace(/\s+/g, ' ').trim(), response.status, code)
  }
  return (text === '' ? {} : JSON.parse(text)) as T
}

/** Brings the hub and the state in line with the community; returns the updated state. */
export async function provisionCommunity (community: Community, previous: SimState, admin: AdminApi): Promise<{ state: SimState, report: ProvisionReport }> {
  // Credentials issued by another hub are worthless here.
  const sameHub = previous.api === undefined || previous.api === admin.api
  const state: SimState = {
    ...previous,
    api: admin.api,
    members: sameHub ? { ...previous.members } : {},
    devices: sameHub ? { ...previous.devices } : {}
  }
  const report: ProvisionReport = { created: { members: 0, devices: 0 }, reused: { members: 0, devices: 0 }, rotated: 0 }
  const onHub = {
    members: new Set((await call<{ members: Array<{ id: string }> }>(admin, 'GET', '/api/admin/members')).members.map((m) => m.id)),
    devices: new Set((await call<{ devices: Array<{ id: string }> }>(admin, 'GET', '/api/admin/devices')).devices.map((d) => d.id))
  }

  // A secret the state holds for something the hub knows is reused; one it lacks is rotated;
  // what the hub does not know is created.
  const ensure = async (exists: boolean, known: boolean, rotate: () => Promise<string>, create: () => Promise<string>): Promise<string | undefined> => {
    if (exists && known) return undefined
    return exists ? await rotate() : await create()
  }

  for (const member of community.members) {
    const exists = onHub.members.has(member.id)
    const accessKey = await ensure(exists, state.members[member.id] !== undefined,
      async () => (await call<{ accessKey: string }>(admin, 'POST', `/api/admin/members/${member.id}/access-key`)).accessKey,
      async () => (await call<{ accessKey: string }>(admin, 'POST', '/api/admin/members',
        { id: member.id, name: member.name, sector: member.sector, sharing: true, ...member.normalizers })).accessKey)
    count(report, 'members', exists, accessKey)
    if (accessKey !== undefined) {
      state.members[member.id] = { name: member.name, sector: member.sector, accessKey }
      admin.save?.(state)
    }
  }

  for (const device of community.devices) {
    const exists = onHub.devices.has(device.id)
    const token = await ensure(exists, state.devices[device.id] !== undefined,
      async () => (await call<{ token: string }>(admin, 'POST', `/api/admin/devices/${device.id}/token`)).token,
      async () => (await call<{ token: string }>(admin, 'POST', '/api/admin/devices',
        { id: device.id, member: device.member.id, name: device.name, format: device.format })).token)
    count(report, 'devices', exists, token)
    if (token !== undefined) {
      state.devices[device.id] = { member: device.member.id, token }
      admin.save?.(state)
    }
  }
  return { state, report }
}

function count (report: ProvisionReport, what: 'members' | 'devices', existed: boolean, secret: string | undefined): void {
  if (secret === undefined) report.reused[what]++
  else if (existed) report.rotated++
  else report.created[what]++
}

/** The devices the state holds no token for (a run without --provision cannot start them). */
export function missingCredentials (community: Community, state: SimState): string[] {
  return community.devices.filter((d) => state.devices[d.id] === undefined).map((d) => d.id)
}
