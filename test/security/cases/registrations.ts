import { expect } from 'vitest'
import type { RegistrationCase } from './types.ts'

// Adversarial registrations through the HTTP API, as a member (its access key) and as a
// workshop joiner (the key `/api/join` hands out): topics that would reach into another
// member's tree or a shared namespace (issue 12 item 2), and inputs at their extremes.

const device = (format: string, topic?: string, name = 'hostile') => ({ name, format, ...(topic === undefined ? {} : { topic }) })

const reg = (id: string, title: string, as: RegistrationCase['as'], body: unknown, expected: RegistrationCase['expect'], pending?: string): RegistrationCase =>
  ({ id, title, as, body, expect: expected, ...(pending ? { pending } : {}) })

/** Two members each get a default Zigbee2MQTT bridge, and neither blocks the other. */
const defaultBridge: RegistrationCase['expect'] = async (first, ctx) => {
  expect(first.status).toBe(201)
  const second = await ctx.api('/api/me/devices', { token: ctx.joinerKey, body: device('zigbee2mqtt') })
  expect(second.status).toBe(201)
  expect(second.body.topic).not.toBe(first.body.topic)
}

/** A name with control characters is refused, or kept byte for byte. */
const exactName = (name: string): RegistrationCase['expect'] => async (result, ctx) => {
  if (result.status === 400) return expect(result.body.error.code).toBe('VALIDATION_FAILED')
  expect(result.status).toBe(201)
  const me = await ctx.api('/api/me', { token: ctx.memberKey })
  expect(me.body.devices.find((d: { id: string }) => d.id === result.body.id)?.name).toBe(name.trim())
}

export const registrationCases: RegistrationCase[] = [
  // Topics that overlap another member's tree or a shared root.
  reg('register-01', 'member: homeassistant device on topic tele', 'member', device('homeassistant', 'tele'), 'refused'),
  reg('register-02', 'joiner: homeassistant device on topic tele', 'joiner', device('homeassistant', 'tele'), 'refused'),
  reg('register-03', 'member: esphome device on cmnd/<victim>', 'member', device('esphome', 'cmnd/hx-victim-plug'), 'refused'),
  reg('register-04', 'joiner: shelly device on cmnd/<victim>', 'joiner', device('shelly', 'cmnd/hx-victim-plug'), 'refused'),
  reg('register-05', 'member: esphome device on tele/<victim>', 'member', device('esphome', 'tele/hx-victim-plug'), 'refused'),
  reg('register-06', 'member: esphome device on <victim>/tele (the other FullTopic order)', 'member', device('esphome', 'hx-victim-plug/tele'), 'refused'),
  reg('register-07', 'member: esphome device on the victim\'s own topic', 'member', device('esphome', 'hx-victim-plug'), 'refused'),
  reg('register-08', 'member: tasmota device on stat', 'member', device('tasmota', 'stat'), 'refused'),
  reg('register-09', 'member: shelly device on cmnd', 'member', device('shelly', 'cmnd'), 'refused'),
  reg('register-10', 'member: zigbee2mqtt device on the shared default topic zigbee2mqtt', 'member', device('zigbee2mqtt', 'zigbee2mqtt'), 'refused'),
  reg('register-11', 'member and joiner: a default zigbee2mqtt bridge each', 'member', device('zigbee2mqtt'), defaultBridge),
  reg('register-12', 'member: topic $SYS', 'member', device('esphome', '$SYS'), 'refused'),
  reg('register-13', 'joiner: topic $SYS/broker', 'joiner', device('esphome', '$SYS/broker'), 'refused'),
  reg('register-14', 'member: topic tsudoi', 'member', device('esphome', 'tsudoi'), 'refused'),
  reg('register-15', 'member: topic tsudoi/<victim member>', 'member', device('shelly', 'tsudoi/hx-victim'), 'refused'),
  reg('register-16', 'member: topic homeassistant', 'member', device('esphome', 'homeassistant'), 'refused'),
  reg('register-17', 'joiner: topic homeassistant/sensor', 'joiner', device('homeassistant', 'homeassistant/sensor'), 'refused'),
  reg('register-18', 'member: topic with a wildcard', 'member', device('esphome', 'a/#'), 'refused'),
  reg('register-19', 'member: topic starting with /', 'member', device('esphome', '/x'), 'refused'),
  reg('register-20', 'member: topic holding NUL', 'member', device('esphome', 'a\u0000b'), 'refused'),
  reg('register-21', 'member: topic holding a control character', 'member', device('esphome', 'a\u0007b'), 'refused'),
  reg('register-22', 'member: topic holding U+FFFF', 'member', device('esphome', 'a\uffffb'), 'refused'),
  reg('register-23', 'member: topic holding a lone surrogate', 'member', device('esphome', 'a\ud800b'), 'refused'),
  reg('register-24', 'member: a 129-character topic', 'member', device('esphome', 't'.repeat(129)), 'refused'),
  reg('register-25', 'member: a 100,000-character topic', 'member', device('esphome', 't'.repeat(100_000)), 'refused'),
  reg('register-26', 'member: a topic that is a prefix of the victim\'s tree (hx)', 'member', device('esphome', 'hx'), 'created'),
  // Names, ids and bodies at their extremes.
  reg('register-30', 'member: a 201-character name', 'member', device('json', undefined, 'n'.repeat(201)), 'refused'),
  reg('register-31', 'member: a 1 MB name', 'member', device('json', undefined, 'n'.repeat(1_000_000)), 'refused'),
  reg('register-32', 'member: a name with NUL', 'member', device('json', undefined, 'a\u0000b'), exactName('a\u0000b')),
  reg('register-33', 'member: a name with an emoji and a lone surrogate', 'member', device('json', undefined, '🌡\ud800'), exactName('🌡\ud800')),
  reg('register-34', 'member: the id of an existing device', 'member', { name: 'dup', id: 'hx-canary-d1' }, 'refused'),
  reg('register-35', 'member: a device for another member', 'member', { name: 'other', member: 'hx-victim' }, async (result, ctx) => {
    if (result.status !== 201) return expect(result.body.error.code).toBe('VALIDATION_FAILED')
    // Accepted only as its own device: the member field cannot move it elsewhere.
    const me = await ctx.api('/api/me', { token: ctx.memberKey })
    expect(me.body.devices.map((d: { id: string }) => d.id)).toContain(result.body.id)
  }),
  reg('register-36', 'member: an unknown format', 'member', device('mosquitto'), 'refused'),
  reg('register-37', 'member: format __proto__', 'member', device('__proto__'), 'refused'),
  reg('register-38', 'member: a body with __proto__', 'member', JSON.parse('{"name":"p","__proto__":{"format":"tasmota","topic":"tele"}}'), async (result) => {
    if (result.status !== 201) return expect(result.body.error.code).toBe('VALIDATION_FAILED')
    expect([result.body.format, result.body.topic]).not.toEqual(['tasmota', 'tele'])
  }),
  reg('register-39', 'member: a body that is an array', 'member', [device('json')], 'refused'),
  { id: 'register-40', title: 'member: a body that is not JSON', as: 'member', raw: '{"name":', expect: 'refused' },
  { id: 'register-41', title: 'member: a body nested 10,000 deep', as: 'member', raw: '{"name":"deep","x":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}', expect: 'refused' },
  reg('register-42', 'anonymous: a device', 'anonymous', device('json'), (result) => { expect(result.status).toBe(401) }),
  { id: 'register-43', title: 'anonymous: join with a guessed code', as: 'anonymous', path: '/api/join', body: { code: 'ZZZZZZ', name: 'guess' }, expect: (result) => { expect(result.status).toBe(404) } },
  { id: 'register-44', title: 'anonymous: join with a 1 MB name', as: 'anonymous', path: '/api/join', body: { code: 'ZZZZZZ', name: 'n'.repeat(1_000_000) }, expect: 'refused' },
  { id: 'register-45', title: 'member: the admin API', as: 'member', path: '/api/admin/devices', body: { member: 'hx-victim', name: 'x' }, expect: (result) => { expect([401, 403]).toContain(result.status) } }
]
