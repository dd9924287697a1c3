import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sign } from '@fastify/cookie'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { createHub, type Hub } from '../../server/hub.ts'
import { type TestHub, provision, startTestHub } from '../helpers/hub.ts'

const DAY = 86_400_000

/** Signs in through POST /api/session; returns the response's status, its Set-Cookie and the `name=value` to send back. */
async function signIn (httpUrl: string, credentials: { accessKey: string } | { adminToken: string }, headers: Record<string, string> = {}) {
  const response = await fetch(`${httpUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(credentials) })
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('tsudoi_session=')) ?? ''
  return { status: response.status, setCookie, cookie: setCookie.split(';')[0]! }
}

/** A request carrying only a cookie, as the dashboard makes it. */
async function withCookie (httpUrl: string, path: string, cookie: string, method = 'GET') {
  const response = await fetch(`${httpUrl}${path}`, { method, headers: { cookie } })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), setCookie: response.headers.getSetCookie() }
}

describe('dashboard sessions kept in the registry', () => {
  let t: TestHub
  // The hub's clock runs with real time plus whatever a test skips ahead (as test/http/workshops.test.ts).
  let skipped = 0
  const clock = (): number => Date.now() + skipped
  beforeAll(async () => { t = await startTestHub({ TSUDOI_TRUST_PROXY: '127.0.0.1' }, { clock }) })
  afterAll(async () => { await t?.stop() })

  // Each sign-in comes "from" its own client behind the trusted proxy, so the sign-in rate limit stays out of the way.
  let client = 0
  const from = (): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${(client++ % 250) + 1}` })
  const member = async (accessKey: string) => signIn(t.hub.httpUrl, { accessKey }, from())
  const admin = async () => signIn(t.hub.httpUrl, { adminToken: t.hub.adminToken }, from())
  const get = async (path: string, cookie: string) => withCookie(t.hub.httpUrl, path, cookie)

  it('opens a session per sign-in: HttpOnly, SameSite=Strict, for 30 days, holding neither the key nor its hash', async () => {
    // The value is `<session id>.<signature>`, URL-encoded (the signature's base64 may hold + and /).
    const a = await provision(t, 'cafe-a')
    const first = await member(a.member.accessKey)
    const second = await member(a.member.accessKey)
    expect(first.status).toBe(200)
    expect(first.setCookie).toMatch(/^tsudoi_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_%-]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/)
    expect(first.cookie).not.toBe(second.cookie)
    expect(first.setCookie).not.toContain(a.member.accessKey)
    expect((await get('/api/session', first.cookie)).body).toEqual({ role: 'member', member: { id: 'cafe-a', name: 'Member cafe-a', sector: 'restaurant' } })
    expect((await get('/api/me', second.cookie)).status).toBe(200)
  })

  it('ends a session at sign-out: replaying the old cookie is anonymous, other sessions stay', async () => {
    const a = await provision(t, 'cafe-b')
    const phone = await member(a.member.accessKey)
    const laptop = await member(a.member.accessKey)
    const out = await withCookie(t.hub.httpUrl, '/api/session', phone.cookie, 'DELETE')
    expect(out.status).toBe(204)
    expect(out.setCookie).toEqual([expect.stringMatching(/^tsudoi_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/)])
    expect(await get('/api/me', phone.cookie)).toMatchObject({ status: 401 })
    expect((await get('/api/session', phone.cookie)).body).toEqual({ role: 'anonymous' })
    expect((await get('/api/me', laptop.cookie)).status).toBe(200)
  })

  it('ends every session of a member whose access key is rotated', async () => {
    const a = await provision(t, 'cafe-c')
    const sessions = [await member(a.member.accessKey), await member(a.member.accessKey)]
    const rotated = await t.admin('/api/admin/members/cafe-c/access-key', {})
    expect(rotated.status).toBe(200)
    expect(await Promise.all(sessions.map(async (s) => (await get('/api/me', s.cookie)).status))).toEqual([401, 401])
    expect((await member(a.member.accessKey)).status).toBe(401)
    const fresh = await member(rotated.body.accessKey)
    expect((await get('/api/me', fresh.cookie)).status).toBe(200)
  })

  it('ends the sessions of a deleted member, also against a new member given the same id', async () => {
    const a = await provision(t, 'cafe-d')
    const session = await member(a.member.accessKey)
    expect((await t.admin('/api/admin/members/cafe-d', undefined, 'DELETE')).status).toBe(204)
    expect((await get('/api/me', session.cookie)).status).toBe(401)
    await provision(t, 'cafe-d', 'retail', 'cafe-d-d2')
    expect((await get('/api/me', session.cookie)).status).toBe(401)
    expect((await get('/api/session', session.cookie)).body).toEqual({ role: 'anonymous' })
  })

  it('refuses a workshop member\'s session from the moment its workshop expires, before the expiry job runs', async () => {
    const now = clock()
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Evening', expiresAt: now + 60_000 })).body
    const joined = (await t.api('/api/join', { body: { code: workshop.code, name: 'Attendee', sector: 'office' } })).body
    const session = await member(joined.member.accessKey)
    // The cookie itself ends with the workshop, not 30 days later.
    const maxAge = Number(/Max-Age=(\d+)/.exec(session.setCookie)?.[1])
    expect(maxAge).toBeGreaterThan(50)
    expect(maxAge).toBeLessThanOrEqual(60)
    expect((await get('/api/me', session.cookie)).status).toBe(200)
    skipped += 120_000
    expect((await get('/api/me', session.cookie)).status).toBe(401)
    expect((await get('/api/session', session.cookie)).body).toEqual({ role: 'anonymous' })
    await t.hub.workshopExpiry.runOnce()
    expect((await get('/api/me', session.cookie)).status).toBe(401)
  })

  it('keeps the session of a workshop member the organizer keeps', async () => {
    const now = clock()
    const workshop = (await t.admin('/api/admin/workshops', { name: 'Kept room', expiresAt: now + 60_000, keepMembers: true })).body
    const joined = (await t.api('/api/join', { body: { code: workshop.code, name: 'Keeper', sector: 'office' } })).body
    const session = await member(joined.member.accessKey)
    skipped += 120_000
    await t.hub.workshopExpiry.runOnce()
    const me = await get('/api/me', session.cookie)
    expect(me.status).toBe(200)
    expect(me.body.member).toMatchObject({ id: joined.member.id, workshop: null })
  })

  it('gives the organizer a new session per sign-in; signing one out leaves the other', async () => {
    const projector = await admin()
    const laptop = await admin()
    expect(projector.status).toBe(200)
    expect(projector.cookie).not.toBe(laptop.cookie)
    expect((await get('/api/admin/members', projector.cookie)).status).toBe(200)
    expect((await withCookie(t.hub.httpUrl, '/api/session', projector.cookie, 'DELETE')).status).toBe(204)
    expect((await get('/api/admin/members', projector.cookie)).status).toBe(401)
    expect((await get('/api/admin/members', laptop.cookie)).status).toBe(200)
    expect((await get('/api/session', laptop.cookie)).body).toEqual({ role: 'admin' })
  })

  it('treats a forged, unsigned or tampered cookie as anonymous', async () => {
    const a = await provision(t, 'cafe-e')
    const real = await member(a.member.accessKey)
    const [id, signature] = real.cookie.slice('tsudoi_session='.length).split('.') as [string, string]
    const secret = t.hub.registry.setting('session_secret')!
    const forged = [
      `tsudoi_session=${id}`, // the session id without its signature
      `tsudoi_session=${id}.${signature.slice(0, -2)}AA`, // a tampered signature
      `tsudoi_session=${id.slice(0, -2)}AA.${signature}`, // a signature that does not match the id
      'tsudoi_session=', // empty
      // Correctly signed (a leaked secret), but no such session: the values the hub used to accept.
      `tsudoi_session=${sign(`member:cafe-e:${'0'.repeat(24)}`, secret)}`,
      `tsudoi_session=${sign('admin:', secret)}`,
      `tsudoi_session=${sign('A'.repeat(43), secret)}`
    ]
    for (const cookie of forged) {
      expect({ cookie, ...(await get('/api/session', cookie)) }).toMatchObject({ cookie, status: 200, body: { role: 'anonymous' } })
      expect({ cookie, status: (await get('/api/me', cookie)).status }).toEqual({ cookie, status: 401 })
      expect({ cookie, status: (await get('/api/admin/members', cookie)).status }).toEqual({ cookie, status: 401 })
    }
    // Signing a forged cookie out ends nothing.
    expect((await withCookie(t.hub.httpUrl, '/api/session', forged[0]!, 'DELETE')).status).toBe(204)
    expect((await get('/api/me', real.cookie)).status).toBe(200)
  })

  it('ends sessions after 30 days and purges their rows', async () => {
    const a = await provision(t, 'cafe-f')
    const session = await member(a.member.accessKey)
    const admins = await admin()
    skipped += 30 * DAY + 1000
    expect((await get('/api/me', session.cookie)).status).toBe(401)
    expect((await get('/api/admin/members', admins.cookie)).status).toBe(401)
    // The next sign-in purges every expired row.
    const fresh = await member(a.member.accessKey)
    expect((await get('/api/me', fresh.cookie)).status).toBe(200)
    expect(t.hub.registry.sessions.purgeExpired()).toBe(0)
  })

  it('keeps at most 50 sessions a login: the oldest ends first', async () => {
    const a = await provision(t, 'cafe-g')
    const sessions = []
    for (let i = 0; i < 51; i++) sessions.push(await member(a.member.accessKey))
    expect((await get('/api/me', sessions[0]!.cookie)).status).toBe(401)
    expect((await get('/api/me', sessions[1]!.cookie)).status).toBe(200)
    expect((await get('/api/me', sessions[50]!.cookie)).status).toBe(200)
  })

  it('ends a live stream opened with a session once that session is signed out; another session\'s stream goes on', async () => {
    const a = await provision(t, 'cafe-i')
    const open = async (cookie: string) => {
      const response = await fetch(`${t.hub.httpUrl}/api/stream`, { headers: { cookie } })
      const reader = response.body!.getReader()
      const first = Buffer.from((await reader.read()).value!).toString()
      return { reader, first }
    }
    const [phone, laptop] = [await member(a.member.accessKey), await member(a.member.accessKey)]
    const [phoneStream, laptopStream] = [await open(phone.cookie), await open(laptop.cookie)]
    expect(phoneStream.first).toMatch(/^retry: 3000\n\n/)
    await withCookie(t.hub.httpUrl, '/api/session', phone.cookie, 'DELETE')
    // Read until the hub ends the stream (it checks on its 5 s community tick).
    const rest: string[] = []
    for (;;) {
      const { value, done } = await phoneStream.reader.read()
      if (done) break
      rest.push(Buffer.from(value).toString())
    }
    expect(rest.join('')).not.toContain('event: reading')
    // The laptop's stream outlives that tick: its next community event arrives.
    let laptopText = ''
    while (!/event: community[\s\S]*event: community/.test(laptopText)) laptopText += Buffer.from((await laptopStream.reader.read()).value!).toString()
    await laptopStream.reader.cancel()
  })

  it('keeps the bearer-token path as it was', async () => {
    const a = await provision(t, 'cafe-h')
    expect((await t.api('/api/me', { token: a.member.accessKey })).status).toBe(200)
    expect((await t.api('/api/admin/members', { token: a.member.accessKey })).status).toBe(403)
    expect((await t.admin('/api/admin/members')).status).toBe(200)
  })
})

describe('admin sessions across restarts', () => {
  let dataDir: string
  let hub: Hub | undefined
  beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-sessions-')) })
  afterAll(async () => {
    await hub?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const start = async (env: Record<string, string>): Promise<Hub> => {
    await hub?.stop()
    hub = createHub(loadConfig({ TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: 'silent', ...env }))
    await hub.start()
    return hub
  }

  it('survive a restart with the same admin token and end when the token changes', async () => {
    let h = await start({ TSUDOI_ADMIN_TOKEN: 'first-admin-token-0123456789' })
    const session = await signIn(h.httpUrl, { adminToken: 'first-admin-token-0123456789' })
    expect((await withCookie(h.httpUrl, '/api/session', session.cookie)).body).toEqual({ role: 'admin' })
    h = await start({ TSUDOI_ADMIN_TOKEN: 'first-admin-token-0123456789' })
    expect((await withCookie(h.httpUrl, '/api/session', session.cookie)).body).toEqual({ role: 'admin' })
    h = await start({ TSUDOI_ADMIN_TOKEN: 'second-admin-token-012345678' })
    expect((await withCookie(h.httpUrl, '/api/session', session.cookie)).body).toEqual({ role: 'anonymous' })
    expect((await withCookie(h.httpUrl, '/api/admin/members', session.cookie)).status).toBe(401)
    // Going back to the first token does not bring the old sessions back.
    h = await start({ TSUDOI_ADMIN_TOKEN: 'first-admin-token-0123456789' })
    expect((await withCookie(h.httpUrl, '/api/session', session.cookie)).body).toEqual({ role: 'anonymous' })
    // The registry keeps no plain hash of the token, only a salted scrypt verifier.
    expect(h.registry.setting('admin_token_verifier')).toMatch(/^[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/)
  })
})
