import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from './helpers/hub.ts'

// Issue 12, item 10: an async listener on the event bus that rejects was an unhandled
// rejection — with Node's default, the end of the process. The bus catches it like a throw:
// logged, the other listeners and the ingest path carry on.
describe('event bus listeners that fail', () => {
  let t: TestHub
  let p: Provisioned
  const logged: Array<Record<string, any>> = []
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason) }
  let waiting: Array<() => void> = []

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    const sink = new Writable({
      write (chunk, _encoding, next) {
        logged.push(JSON.parse(String(chunk)))
        for (const wake of waiting.splice(0)) wake()
        next()
      }
    })
    t = await startTestHub({}, { log: pino({ level: 'error' }, sink) })
    p = await provision(t, 'mise')
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await t?.stop()
  })

  /** Resolves once the log holds an entry that passes `test`. */
  async function logEntry (test: (entry: Record<string, any>) => boolean): Promise<Record<string, any>> {
    for (;;) {
      const found = logged.find(test)
      if (found !== undefined) return found
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }

  it('logs an async listener\'s rejection instead of leaving it unhandled, and keeps ingesting', async () => {
    const seen: number[] = []
    const offFailing = t.hub.bus.on('readings', async () => {
      await Promise.resolve()
      throw new Error('an async listener bug')
    })
    const offCounting = t.hub.bus.on('readings', (readings) => { seen.push(readings.length) })
    const client = await connectDevice(t.hub.mqttUrl, p.device.id, p.device.token)
    await client.publishAsync('tsudoi/mise/mise-d1/telemetry', '{"temperature": 5.5}', { qos: 1 })
    const entry = await logEntry((e) => e.msg === 'event listener failed')
    expect(entry).toMatchObject({ event: 'readings', err: { message: 'an async listener bug' } })
    await client.publishAsync('tsudoi/mise/mise-d1/telemetry', '{"temperature": 5.75}', { qos: 1 })
    const { body } = await t.api('/api/me/readings?metric=temperature', { token: p.member.accessKey })
    expect(body.readings.map((r: { value: number }) => r.value)).toEqual([5.75, 5.5])
    expect(seen).toEqual([1, 1])
    // A rejection the bus left unhandled is reported after the microtasks of its turn.
    await new Promise((resolve) => setImmediate(resolve))
    expect(unhandled).toEqual([])
    offFailing()
    offCounting()
    client.end(true)
  })
})
