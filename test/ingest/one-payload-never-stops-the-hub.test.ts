import { Writable } from 'node:stream'
import type { MqttClient } from 'mqtt'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { nativeFormat } from '../../server/ingest/formats/native.ts'
import { type Provisioned, type TestHub, collect, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 1: `{"ts": 1e20, "temperature": 1}` on the telemetry topic once stopped the
// process (`new Date(1e20).toISOString()` throws a RangeError, thrown through the fast path
// into the socket's read handler). Each hostile payload here must be refused with its reason,
// acknowledged, leave the connection up, and a canary reading after it must be stored.
describe('no single payload stops the hub', () => {
  let t: TestHub
  let p: Provisioned
  let client: MqttClient
  let errors: ReturnType<typeof collect>
  const logged: Array<Record<string, any>> = []
  const base = 'tsudoi/kura/kura-d1'
  let canary = 0

  beforeAll(async () => {
    const sink = new Writable({ write (chunk, _encoding, next) { logged.push(JSON.parse(String(chunk))); next() } })
    t = await startTestHub({}, { log: pino({ level: 'warn' }, sink) })
    p = await provision(t, 'kura')
    client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    errors = collect(client, `${base}/errors`)
    await client.subscribeAsync(`${base}/errors`, { qos: 0 })
  })
  afterAll(async () => {
    client?.end(true)
    await t?.stop()
  })

  /** A fresh reading, acknowledged and then found in the store: the hub still works. */
  async function expectCanaryStored (): Promise<void> {
    canary += 1
    const value = 10 + canary / 100
    await client.publishAsync(`${base}/canary`, String(value), { qos: 1 })
    const { body } = await t.api('/api/me/readings?metric=canary&limit=1', { token: p.member.accessKey })
    expect(body.readings).toEqual([{ time: expect.any(Number), device: p.device.id, metric: 'canary', value }])
  }

  const timestamps: Array<[string, unknown, string]> = [
    ['1e20', 1e20, 'TIMESTAMP_IN_FUTURE'],
    ['-1e20', -1e20, 'TIMESTAMP_TOO_OLD'],
    ['one past the last valid Date', 8.64e15 + 1, 'TIMESTAMP_IN_FUTURE'],
    ['1e308', 1e308, 'TIMESTAMP_IN_FUTURE'],
    ['-0', -0, 'TIMESTAMP_TOO_OLD'],
    ['the string "1e20"', '1e20', 'INVALID_TIMESTAMP'],
    ['an impossible ISO date', '9999-99-99T00:00:00Z', 'INVALID_TIMESTAMP'],
    ['a far ISO year', '275760-09-14T00:00:00Z', 'INVALID_TIMESTAMP'],
    ['a numeric string past the last valid Date', '99999999999999999999', 'TIMESTAMP_IN_FUTURE']
  ]

  it.each(timestamps)('refuses ts %s with a reason, acknowledges it and keeps working', async (_name, ts, code) => {
    // -0 must reach the hub as -0: JSON.stringify would write 0.
    const payload = Object.is(ts, -0) ? '{"ts": -0, "temperature": 1}' : `{"ts": ${JSON.stringify(ts)}, "temperature": 1}`
    await client.publishAsync(`${base}/telemetry`, payload, { qos: 1 })
    expect(await errors.next()).toEqual({ code, message: expect.any(String), topic: `${base}/telemetry`, time: expect.any(Number) })
    expect(client.connected).toBe(true)
    await expectCanaryStored()
  })

  it('refuses a value nested 30,000 deep without overflowing the stack', async () => {
    const deep = '['.repeat(30_000) + ']'.repeat(30_000)
    await client.publishAsync(`${base}/telemetry`, `{"temperature": ${deep}}`, { qos: 1 })
    expect(await errors.next()).toEqual({ code: 'NOT_A_NUMBER', message: 'temperature: an array of 1 is not a number', topic: `${base}/telemetry`, time: expect.any(Number) })
    await expectCanaryStored()
  })

  it('stores -0 as 0', async () => {
    await client.publishAsync(`${base}/telemetry`, '{"offset": -0}', { qos: 1 })
    const { body } = await t.api('/api/me/readings?metric=offset', { token: p.member.accessKey })
    expect(body.readings).toEqual([{ time: expect.any(Number), device: p.device.id, metric: 'offset', value: 0 }])
    expect(Object.is(body.readings[0].value, 0)).toBe(true)
  })

  it('refuses a payload whose decoder throws as PROCESSING_FAILED, logs the stack once, acknowledges it and keeps the connection', async () => {
    const decode = nativeFormat.decode.bind(nativeFormat)
    const spy = vi.spyOn(nativeFormat, 'decode').mockImplementation((device, topic, payload, discovery) => {
      if (payload.toString() === 'boom') throw new RangeError('a decoder bug')
      return decode(device, topic, payload, discovery)
    })
    try {
      for (let i = 0; i < 3; i++) {
        await client.publishAsync(`${base}/telemetry`, 'boom', { qos: 1 })
        expect(await errors.next()).toEqual({
          code: 'PROCESSING_FAILED',
          message: 'the hub failed while reading this payload; it was refused and the connection kept',
          topic: `${base}/telemetry`,
          time: expect.any(Number)
        })
        await client.publishAsync(`${base}/telemetry`, 'boom', { qos: 0 })
        expect((await errors.next()).code).toBe('PROCESSING_FAILED')
      }
    } finally {
      spy.mockRestore()
    }
    expect(client.connected).toBe(true)
    await expectCanaryStored()
    // Once per device and code an hour, with the stack; the device never sees the stack.
    const failures = logged.filter((entry) => entry.code === 'PROCESSING_FAILED')
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ device: p.device.id, topic: `${base}/telemetry`, err: { type: 'RangeError', message: 'a decoder bug', stack: expect.stringContaining('RangeError: a decoder bug') } })
  })
})
