import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, type HubDevice, HostileHub, withTimeout } from '../helpers/hostile-hub.ts'
import { openRaw, openRawDevice } from '../helpers/raw-connection.ts'
import { nativeCases } from './cases/payload-native.ts'
import { firmwareCases } from './cases/payload-firmware.ts'
import { type HttpCase, httpCases } from './cases/http.ts'
import { packetCases } from './cases/packets.ts'
import { registrationCases } from './cases/registrations.ts'
import { sessionCases } from './cases/sessions.ts'
import type { PacketCase, PacketContext, PayloadCase, RegistrationCase, RegistrationContext, StoredReading, SuiteDevice } from './cases/types.ts'

// Issue 12, "Done means": every hostile case of test/security/cases/ against ONE hub process,
// in order. After each case the canary — a QoS 1 reading, acknowledged, then read back
// through the member API — must still work, and the process must still be alive. A case
// marked `pending` names the defect it exposes today; it is expected to fail until fixed.

const MAX_PAYLOAD = 4 * 1024 * 1024 // large enough for the 100,000-element and 10,000-deep payloads
const MAX_CONNECTIONS_PER_DEVICE = 8 // the default of TSUDOI_MAX_CONNECTIONS_PER_DEVICE
const CASE_TIMEOUT = 90_000

describe.sequential('hostile input against one long-lived hub', () => {
  const h = new HostileHub({ TSUDOI_MAX_PAYLOAD: String(MAX_PAYLOAD) })
  const devices = {} as Record<SuiteDevice | 'raw' | 'crowded' | 'canary' | 'victim' | 'plug', HubDevice>
  const keys = { hx: '', canary: '', victim: '', registrar: '', joiner: '' }
  let rssAtStart = 0

  beforeAll(async () => {
    await h.start()
    keys.hx = await h.member('hx')
    keys.canary = await h.member('hx-canary')
    keys.victim = await h.member('hx-victim', 'restaurant')
    keys.registrar = await h.member('hx-registrar')
    const formats: Array<[SuiteDevice, string, string?]> = [
      ['json', 'json'], ['plain', 'plain'], ['tasmota', 'tasmota', 'hx-tas'], ['esphome', 'esphome', 'hx-esp'],
      ['shelly', 'shelly', 'hx-shelly'], ['zigbee2mqtt', 'zigbee2mqtt', 'hx-z2m'], ['homeassistant', 'homeassistant', 'hx-ha'],
      ['auto', 'auto', 'hx-auto'], ['wide', 'json'], ['widetas', 'tasmota', 'hx-wide-tas']
    ]
    for (const [key, format, topic] of formats) devices[key] = await h.device('hx', `hx-${key}`, format, topic)
    devices.raw = await h.device('hx', 'hx-raw')
    devices.crowded = await h.device('hx', 'hx-crowded')
    devices.canary = await h.device('hx-canary', 'hx-canary-d1')
    devices.victim = await h.device('hx-victim', 'hx-victim-d1')
    devices.plug = await h.device('hx-victim', 'hx-victim-plug-d', 'tasmota', 'hx-victim-plug')
    const workshop = await h.admin('/api/admin/workshops', { name: 'Hostile workshop', expiresAt: Date.now() + 86_400_000 })
    const joined = await h.api('/api/join', { body: { code: workshop.body.code, name: 'Joiner' } })
    if (joined.status !== 201) throw new Error(`join: ${JSON.stringify(joined.body)}`)
    keys.joiner = joined.body.member.accessKey
    const first = await h.canary(devices.canary, keys.canary)
    if (first !== undefined) throw new Error(`the canary fails before any case: ${first}`)
    rssAtStart = h.rssKiB()
  }, 120_000)
  afterAll(async () => { await h.stop() })

  /** Runs one case, then checks that the hub lived through it and still stores readings. */
  async function guarded (id: string, body: () => Promise<void>): Promise<void> {
    let failure: unknown
    try {
      await body()
    } catch (error) {
      failure = error
    }
    const lived = await h.survived(id)
    if (!lived) throw new Error(`the hub process died during ${id}:\n${h.deaths.at(-1)?.output}`)
    const canary = await h.canary(devices.canary, keys.canary)
    if (failure !== undefined) throw failure
    if (canary !== undefined) throw new Error(`after ${id}: ${canary}`)
  }

  const caseTest = (c: { id: string, title: string, pending?: string }, body: () => Promise<void>): void => {
    const name = `${c.id}: ${c.title}${c.pending ? ` [pending: ${c.pending}]` : ''}`
    if (c.pending) it.fails(name, () => guarded(c.id, body), CASE_TIMEOUT)
    else it(name, () => guarded(c.id, body), CASE_TIMEOUT)
  }

  describe('packets over raw TCP', () => {
    const context = (): PacketContext => ({
      native: `tsudoi/hx/${devices.raw.id}`,
      device: devices.raw,
      victim: { ...devices.victim, native: `tsudoi/hx-victim/${devices.victim.id}`, topic: 'hx-victim-plug' }
    })
    for (const c of packetCases) caseTest(c, () => runPacket(c, context()))
  })

  async function runPacket (c: PacketCase, ctx: PacketContext): Promise<void> {
    const connection = c.login
      ? await openRawDevice(h.mqttPort, `hx-raw-${c.id}`, ctx.device.id, ctx.device.token)
      : await openRaw(h.mqttPort)
    try {
      for (const chunk of c.send(ctx)) await connection.write(chunk)
      if (c.end) connection.socket.end()
      const e = c.expect
      if ('closed' in e) {
        expect(await connection.closedWithin(5000), `${c.spec}: the hub closes the connection`).toBe(true)
        if (!c.login) expect(connection.packets.filter((p) => p.cmd === 'connack' && p.returnCode === 0)).toEqual([])
      } else if ('connack' in e) {
        const connack = await connection.packet((p) => p.cmd === 'connack', 5000)
        expect(e.connack, `${c.spec}: CONNACK ${JSON.stringify(connack)}`).toContain(connack?.returnCode)
        expect(await connection.closedWithin(5000), 'the hub closes the connection after a refusing CONNACK').toBe(true)
      } else if ('reply' in e) {
        expect(await connection.packet(e.reply, 20_000), `${c.spec}: ${e.what}`).toBeDefined()
        expect(await connection.alive(5000), 'the connection is still served').toBe(true)
      } else if ('suback' in e) {
        const suback = await connection.packet((p) => p.cmd === 'suback', 5000)
        expect(suback?.granted, c.spec).toEqual(e.suback)
        expect(await connection.alive(5000), 'the connection is still served').toBe(true)
      } else if ('kept' in e) {
        expect(await connection.alive(5000), `${c.spec}: the connection is still served`).toBe(true)
      } else {
        const alive = await connection.alive(5000)
        expect(alive || connection.isClosed(), `${c.spec}: closed or still served, never hanging`).toBe(true)
      }
    } finally {
      connection.destroy()
    }
  }

  describe('sessions and client ids', () => {
    for (const c of sessionCases) {
      caseTest(c, () => c.run({ port: h.mqttPort, hostile: devices.raw, victim: devices.victim, plug: devices.plug, crowded: devices.crowded, maxConnectionsPerDevice: MAX_CONNECTIONS_PER_DEVICE }))
    }
  })

  describe('payloads through real mqtt.js devices', () => {
    for (const c of [...nativeCases, ...firmwareCases]) caseTest(c, () => runPayload(c))
  })

  async function runPayload (c: PayloadCase): Promise<void> {
    const device = devices[c.device]
    const live = await h.connected(device)
    const topics = { native: `tsudoi/${device.member}/${device.id}`, topic: device.topic }
    const before = await h.storedKeys(keys.hx, device.id)
    const from = live.errors.length
    for (const step of [...(c.before ?? []), { topic: c.topic, payload: c.payload }]) {
      await withTimeout(live.client.publishAsync(step.topic(topics), step.payload, { qos: 1 }), 20_000, 'PUBACK')
    }
    const refusals = await h.refusalsSince(live, from)
    expect([...new Set(refusals.map((r) => r.code))].sort(), JSON.stringify(refusals.slice(0, 3)).slice(0, 600)).toEqual([...c.refused].sort())
    expect(live.client.connected, 'the device stays connected').toBe(true)
    const added = difference(await h.storedKeys(keys.hx, device.id), before)
    if (typeof c.stored === 'number') expect(added.length).toBe(c.stored)
    else expect(normalise(added, c.stored)).toEqual(expectedKeys(c.stored))
  }

  describe('registrations through the HTTP API', () => {
    const context = (): RegistrationContext => ({ memberKey: keys.registrar, joinerKey: keys.joiner, victimTopic: 'hx-victim-plug', api: (path, options) => h.api(path, options) })
    for (const c of registrationCases) caseTest(c, () => runRegistration(c, context()))
  })

  async function runRegistration (c: RegistrationCase, ctx: RegistrationContext): Promise<void> {
    const token = { member: ctx.memberKey, joiner: ctx.joinerKey, admin: ADMIN_TOKEN, anonymous: undefined }[c.as]
    const result = await h.api(c.path ?? '/api/me/devices', { token, body: c.body, raw: c.raw })
    if (c.expect === 'refused') {
      expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBeGreaterThanOrEqual(400)
      expect(result.status).toBeLessThan(500)
      expect([401, 404]).not.toContain(result.status)
      expect(typeof result.body?.error?.code, JSON.stringify(result.body).slice(0, 300)).toBe('string')
    } else if (c.expect === 'created') {
      expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(201)
    } else {
      await c.expect(result, ctx)
    }
  }

  describe('HTTP requests as they come off the network', () => {
    for (const c of httpCases) caseTest(c, () => runHttp(c))
  })

  async function runHttp (c: HttpCase): Promise<void> {
    let bytes: Buffer
    if ('raw' in c.request) {
      bytes = c.request.raw
    } else {
      const { method = 'GET', target, headers = '', body = '' } = c.request
      const auth = c.as === 'member' ? `Authorization: Bearer ${keys.hx}\r\n` : ''
      const length = body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`
      bytes = Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${auth}${headers}${length}\r\n${body}`)
    }
    c.check(await h.rawHttp(bytes))
  }

  it('kept the one hub process alive through every case', () => {
    const killers = [...packetCases, ...sessionCases, ...nativeCases, ...firmwareCases, ...registrationCases, ...httpCases].filter((c) => c.kills).map((c) => c.id)
    expect(h.deaths.map((d) => d.during)).toEqual(killers)
    expect(h.isAlive()).toBe(true)
  })

  it('reports the hub\'s memory across the suite', () => {
    const samples = h.rssSamples.map((s) => s.rssKiB)
    const peak = h.rssSamples.reduce((max, s) => (s.rssKiB > max.rssKiB ? s : max), { after: 'start', rssKiB: rssAtStart })
    console.info(`hub RSS: ${Math.round(rssAtStart / 1024)} MiB at start, peak ${Math.round(peak.rssKiB / 1024)} MiB after ${peak.after}, ${Math.round((samples.at(-1) ?? 0) / 1024)} MiB at the end (${samples.length} samples)`)
    expect(samples.length).toBeGreaterThan(0)
  })
})

/** `after` minus `before`, as multisets. */
function difference (after: string[], before: string[]): string[] {
  const left = new Map<string, number>()
  for (const key of before) left.set(key, (left.get(key) ?? 0) + 1)
  return after.filter((key) => {
    const n = left.get(key) ?? 0
    if (n === 0) return true
    left.set(key, n - 1)
    return false
  })
}

const timed = (stored: StoredReading[]): boolean => stored.length > 0 && stored.every((s) => s.length === 3)

/** Stored `time|metric|value` keys reduced to what the case states (with or without times), sorted. */
function normalise (added: string[], stored: StoredReading[]): string[] {
  return added.map((key) => (timed(stored) ? key : key.slice(key.indexOf('|') + 1))).sort()
}

function expectedKeys (stored: StoredReading[]): string[] {
  return stored.map((s) => (s.length === 3 ? `${s[2]}|${s[0]}|${s[1]}` : `${s[0]}|${s[1]}`)).sort()
}
