import { afterEach, describe, expect, it } from 'vitest'
import { type TestHub, provision, startTestHub } from '../helpers/hub.ts'

// POST /api/session allows 20 attempts a minute from one address (server/http/routes/session.ts).
const SIGN_IN_LIMIT = 20
const ATTEMPTS = 40

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value)

describe('trusted proxies (TSUDOI_TRUST_PROXY)', () => {
  let t: TestHub | undefined
  afterEach(async () => { await t?.stop(); t = undefined })

  const signIn = async (hub: TestHub, headers: Record<string, string>, accessKey = 'tsk_wrong'): Promise<Response> =>
    fetch(`${hub.hub.httpUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ accessKey }) })

  /** Wrong sign-ins, each with the X-Forwarded-For `forwardedFor(i)`; their statuses in order. */
  const attempts = async (hub: TestHub, forwardedFor: (i: number) => string): Promise<number[]> => {
    const statuses: number[] = []
    for (let i = 0; i < ATTEMPTS; i++) statuses.push((await signIn(hub, { 'x-forwarded-for': forwardedFor(i) })).status)
    return statuses
  }
  const limited = [...repeat(401, SIGN_IN_LIMIT), ...repeat(429, ATTEMPTS - SIGN_IN_LIMIT)]

  it('by default ignores X-Forwarded-For: a rotating one does not walk past the sign-in limit', async () => {
    t = await startTestHub()
    expect(await attempts(t, (i) => `198.51.100.${i + 1}`)).toEqual(limited)
  })

  it('ignores X-Forwarded-For from an address that is not a listed proxy', async () => {
    t = await startTestHub({ TSUDOI_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' })
    expect(await attempts(t, (i) => `198.51.100.${i + 1}`)).toEqual(limited)
  })

  it('behind a listed proxy limits each forwarded client, not the proxy', async () => {
    t = await startTestHub({ TSUDOI_TRUST_PROXY: '127.0.0.1' })
    // Forty clients behind one proxy: one attempt each, none limited.
    expect(await attempts(t, (i) => `198.51.100.${i + 1}`)).toEqual(repeat(401, ATTEMPTS))
    // One client forty times: limited like a direct one.
    expect(await attempts(t, () => '203.0.113.7')).toEqual(limited)
  })

  it('behind a listed proxy believes only the hop the proxy added, not what the client wrote before it', async () => {
    t = await startTestHub({ TSUDOI_TRUST_PROXY: '127.0.0.1' })
    // The client sends its own rotating X-Forwarded-For; the proxy appends the address it saw.
    expect(await attempts(t, (i) => `198.51.100.${i + 1}, 203.0.113.8`)).toEqual(limited)
  })

  it('limits join-code attempts the same way', async () => {
    t = await startTestHub({ TSUDOI_JOIN_RATE_LIMIT: '3' })
    const hub = t
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${hub.hub.httpUrl}/api/join`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` }, body: JSON.stringify({ code: 'ZZZZZZ', name: `Guess ${i}` })
      })
      statuses.push(response.status)
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429])
  })

  it('marks the cookie Secure for X-Forwarded-Proto: https only from a listed proxy', async () => {
    const secureFlag = async (hub: TestHub): Promise<boolean> => {
      const { member } = await provision(hub, 'shop')
      const response = await signIn(hub, { 'x-forwarded-proto': 'https' }, member.accessKey)
      expect(response.status).toBe(200)
      return /;\s*Secure/i.test(response.headers.get('set-cookie') ?? '')
    }
    t = await startTestHub()
    expect(await secureFlag(t)).toBe(false)
    await t.stop()
    t = await startTestHub({ TSUDOI_TRUST_PROXY: '127.0.0.1' })
    expect(await secureFlag(t)).toBe(true)
  })
})
