import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, collect, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

// Every class of bad payload is refused with a stable code on the device's errors topic,
// the device stays connected, and the valid data around it is kept.
describe('bad payloads through a real broker', () => {
  let t: TestHub
  let p: Provisioned
  let client: MqttClient
  let errors: ReturnType<typeof collect>
  const base = 'tsudoi/cafe/cafe-d1'

  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_MAX_PAYLOAD: '1024' })
    p = await provision(t, 'cafe')
    client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    errors = collect(client, `${base}/errors`)
    await client.subscribeAsync(`${base}/errors`, { qos: 0 })
  })
  afterAll(async () => {
    client?.end(true)
    await t?.stop()
  })

  const now = Date.now()
  const cases: Array<[string, string, string | Buffer, string]> = [
    ['invalid JSON', 'telemetry', '{"temperature": 21.5', 'INVALID_JSON'],
    ['a non-numeric value', 'telemetry', '{"temperature": "warm"}', 'NOT_A_NUMBER'],
    ['a boolean value', 'telemetry', '{"temperature": true}', 'NOT_A_NUMBER'],
    ['a non-finite value', 'telemetry', '{"temperature": "NaN"}', 'NOT_FINITE'],
    ['an unknown shape', 'telemetry', '"hello"', 'UNKNOWN_SHAPE'],
    ['an empty object', 'telemetry', '{}', 'EMPTY_PAYLOAD'],
    ['a bad metric name', 'telemetry', '{"Temperature!": 1}', 'INVALID_METRIC_NAME'],
    ['a timestamp two days ahead', 'telemetry', JSON.stringify({ temperature: 20, ts: now + 2 * 86_400_000 }), 'TIMESTAMP_IN_FUTURE'],
    ['a timestamp before 2000', 'telemetry', JSON.stringify({ temperature: 20, ts: 946_684_799_000 }), 'TIMESTAMP_TOO_OLD'],
    ['a timestamp in seconds', 'telemetry', JSON.stringify({ temperature: 20, ts: Math.floor(now / 1000) }), 'TIMESTAMP_TOO_OLD'],
    ['an unparseable ts', 'telemetry', '{"temperature": 20, "ts": "yesterday"}', 'INVALID_TIMESTAMP'],
    ['an oversized payload', 'telemetry', JSON.stringify({ temperature: 20, note: 'x'.repeat(2000) }), 'PAYLOAD_TOO_LARGE'],
    ['a plain topic with text', 'temperature', 'warm', 'NOT_A_NUMBER'],
    ['a plain topic with an invalid metric', 'Bad-Metric', '1', 'INVALID_METRIC_NAME'],
    ['the errors topic, which only the hub writes', 'errors', '{}', 'TOPIC_NOT_ALLOWED'],
    ['a value out of range', 'telemetry', '{"humidity": 140}', 'OUT_OF_RANGE']
  ]

  it.each(cases)('refuses %s with a reason and keeps the device connected', async (_name, leaf, payload, code) => {
    const topic = `${base}/${leaf}`
    await client.publishAsync(topic, payload, { qos: 1 })
    const message = await errors.next()
    expect(message).toEqual({ code, message: expect.any(String), topic, time: expect.any(Number) })
    expect(client.connected).toBe(true)
  })

  it('stores the good metrics of a payload that has a bad one', async () => {
    await client.publishAsync(`${base}/telemetry`, JSON.stringify({ temperature: 22.25, 'bad metric': 1, co2: 'lots', humidity: 51 }), { qos: 1 })
    const refusals = [await errors.next(), await errors.next()]
    expect(refusals.map((r) => r.code).sort()).toEqual(['INVALID_METRIC_NAME', 'NOT_A_NUMBER'])
    const { body } = await t.api('/api/me/readings?limit=10', { token: p.member.accessKey })
    expect(body.readings.map((r: any) => [r.metric, r.value]).sort()).toEqual([['humidity', 51], ['temperature', 22.25]])
    expect(client.connected).toBe(true)
  })

  it('keeps the good entries of a backlog array with a broken one', async () => {
    const t0 = Date.now() - 60_000
    const backlog = [{ temperature: 18, ts: t0 }, 'broken', { temperature: 19, ts: new Date(t0 + 1000).toISOString() }]
    await client.publishAsync(`${base}/telemetry`, JSON.stringify(backlog), { qos: 1 })
    expect((await errors.next()).code).toBe('UNKNOWN_SHAPE')
    const { body } = await t.api(`/api/me/readings?metric=temperature&from=${t0}&to=${t0 + 2000}`, { token: p.member.accessKey })
    expect(body.readings).toEqual([
      { time: t0 + 1000, device: 'cafe-d1', metric: 'temperature', value: 19 },
      { time: t0, device: 'cafe-d1', metric: 'temperature', value: 18 }
    ])
  })

  it('counts refusals by reason in /metrics and health', async () => {
    // Every count, read before and after two refusals: whatever ran before in this file.
    const refusedInMetrics = async (): Promise<Record<string, number>> => {
      const text = (await t.api('/metrics')).body as string
      return Object.fromEntries([...text.matchAll(/^tsudoi_readings_refused_total\{code="([A-Z_]+)"\} (\d+)$/gm)].map(([, code, count]) => [code, Number(count)]))
    }
    const before = await refusedInMetrics()
    expect((await t.api('/api/health')).body.refused).toEqual(before)
    await client.publishAsync(`${base}/telemetry`, '{"temperature": 21.5', { qos: 1 })
    await client.publishAsync(`${base}/telemetry`, JSON.stringify({ temperature: 20, note: 'x'.repeat(2000) }), { qos: 1 })
    expect([(await errors.next()).code, (await errors.next()).code]).toEqual(['INVALID_JSON', 'PAYLOAD_TOO_LARGE'])
    const after = { ...before, INVALID_JSON: (before.INVALID_JSON ?? 0) + 1, PAYLOAD_TOO_LARGE: (before.PAYLOAD_TOO_LARGE ?? 0) + 1 }
    expect(await refusedInMetrics()).toEqual(after)
    expect((await t.api('/api/health')).body.refused).toEqual(after)
  })
})
