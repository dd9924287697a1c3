import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'

/** Reads Server-Sent Events from /api/stream until `until` says enough. */
async function events (t: TestHub, token: string | undefined, act: () => Promise<void>, until: (e: Array<{ event: string, data: any }>) => boolean) {
  const controller = new AbortController()
  const response = await fetch(`${t.hub.httpUrl}/api/stream`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: controller.signal })
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const seen: Array<{ event: string, data: any }> = []
  const reader = response.body!.getReader()
  let buffer = ''
  const read = (async () => {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += Buffer.from(value).toString('utf8')
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.+)$/m.exec(block)?.[1]
        const data = /^data: (.+)$/m.exec(block)?.[1]
        if (event !== undefined && data !== undefined) seen.push({ event, data: JSON.parse(data) })
      }
      if (until(seen)) return
    }
  })()
  await act()
  await Promise.race([read, new Promise((resolve) => setTimeout(resolve, 3000))])
  controller.abort()
  return seen
}

describe('live stream', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned
  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'live-a', 'retail')
    b = await provision(t, 'live-b', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  it('sends a member its own live readings, not its backlog, and nobody else\'s', async () => {
    const seen = await events(t, a.member.accessKey, async () => {
      const other = await connectDevice(t.hub.mqttUrl, b.device.id, b.device.token)
      await other.publishAsync(b.device.topic, '{"power": 999}', { qos: 1 })
      other.end(true)
      const own = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
      await own.publishAsync(a.device.topic, JSON.stringify([{ power: 1, ts: Date.now() - 3_600_000 }, { power: 2, ts: Date.now() - 7_200_000 }]), { qos: 1 })
      await own.publishAsync(a.device.topic, '{"power": 120}', { qos: 1 })
      own.end(true)
    }, (e) => e.some((x) => x.event === 'reading'))
    expect(seen[0]).toEqual({ event: 'community', data: { devicesOnline: expect.any(Number), readingsLastMinute: expect.any(Number), members: 2 } })
    expect(seen.filter((e) => e.event === 'reading')).toEqual([{ event: 'reading', data: { time: expect.any(Number), device: 'live-a-d1', metric: 'power', value: 120 } }])
    expect(JSON.stringify(seen)).not.toContain('live-b')
  })

  it('gives a stranger the community counters only', async () => {
    const seen = await events(t, undefined, async () => {
      const own = await connectDevice(t.hub.mqttUrl, a.device.id, a.device.token)
      await own.publishAsync(a.device.topic, '{"power": 121}', { qos: 1 })
      own.end(true)
    }, () => false)
    expect(seen.map((e) => e.event)).toEqual(['community'])
  })
})
