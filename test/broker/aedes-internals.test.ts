import { Aedes, type Client } from 'aedes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeClientInternals } from '../../server/broker/aedes-internals.ts'

// Issue 12, item 8: the fast path and the packet-size guard read aedes' private Client fields.
// package.json pins aedes exactly; the probe tells at start-up whether they are still there.

describe('probing aedes internals', () => {
  let broker: Aedes
  beforeAll(async () => { broker = await Aedes.createBroker() })
  afterAll(async () => { await new Promise<void>((resolve) => broker.close(() => resolve())) })

  it('finds every field it needs in the pinned aedes', () => {
    expect(probeClientInternals(broker, (conn) => broker.handle(conn))).toEqual([])
  })

  it('names what a different Client lacks', () => {
    const renamed = (conn: unknown): Client => {
      const client = broker.handle(conn as Parameters<Aedes['handle']>[0]) as unknown as Record<string, unknown>
      delete client._parsingBatch
      client._nextBatch = undefined
      return client as unknown as Client
    }
    expect(probeClientInternals(broker, renamed)).toEqual(['_parsingBatch', '_nextBatch'])
  })
})
