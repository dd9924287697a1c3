import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reading } from '../../server/domain/reading.ts'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'

// Issue 12, item 10: the live stream ignored write backpressure — for a client that does not
// read, every event stayed in the hub's memory. Past MAX_BUFFERED_BYTES (1 MiB) waiting for
// one client, the hub closes that stream (the browser's EventSource reconnects).
describe('a live-stream client that does not read', () => {
  let t: TestHub
  let p: Provisioned
  beforeAll(async () => {
    t = await startTestHub()
    p = await provision(t, 'osoi')
  })
  afterAll(async () => { await t?.stop() })

  const dropped = async (): Promise<number> => (await t.hub.metrics.liveStreamsDropped.get()).values[0]?.value ?? 0

  it('is disconnected once the hub holds too much for it, and the hub keeps working', async () => {
    const socket = connect(t.hub.httpPort, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${p.member.accessKey}\r\n\r\n`)
    // Never read: the kernel's buffers fill, then the hub's.
    socket.pause()
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))

    // Committed readings of this member, as the ingest path announces them, about 1 MB a round,
    // until the hub drops the stream — or 64 MB, far past the bound and the kernel's buffers.
    let sentBytes = 0
    const limit = 64 * 1024 * 1024
    while (await dropped() === 0 && sentBytes < limit) {
      const now = Date.now()
      const batch: Reading[] = Array.from({ length: 10_000 }, (_, i) => ({ time: now, member: 'osoi', device: 'osoi-d1', sector: 'restaurant', metric: 'temperature', value: i }))
      t.hub.bus.emit('readings', batch)
      sentBytes += 10_000 * 100
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await dropped()).toBe(1)
    socket.resume() // what was sent arrives, then the end
    await closed
    const health = await t.api('/api/health')
    expect(health.status).toBe(200)
  })
})
