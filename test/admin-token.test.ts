import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type TestHub, startTestHub } from './helpers/hub.ts'

// The organizer's token when TSUDOI_ADMIN_TOKEN is unset (server/admin-token.ts): made on the
// first start, kept in <data dir>/admin-token readable by the hub's account only, and the
// same after a restart — the README sends organizers to that file, and the CLI reads it.

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8)

describe('the generated admin token', () => {
  const dirs: string[] = []
  const running: TestHub[] = []
  afterEach(async () => {
    for (const t of running.splice(0)) await t.stop()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tsudoi-admin-token-'))
    dirs.push(dir)
    return join(dir, 'data')
  }
  const start = async (env: Record<string, string>): Promise<TestHub> => {
    const t = await startTestHub(env)
    running.push(t)
    return t
  }
  const stop = async (t: TestHub): Promise<void> => {
    running.splice(running.indexOf(t), 1)
    await t.stop()
  }

  it('is written 0600 on the first start and is the same token after a restart', async () => {
    const dir = dataDir()
    const first = await start({ TSUDOI_DATA_DIR: dir })
    const token = first.hub.adminToken
    expect({ token, generated: first.hub.adminTokenGenerated }).toEqual({ token: expect.stringMatching(/^tsa_[A-Za-z0-9_-]{43}$/), generated: true })
    const file = join(dir, 'admin-token')
    expect({ text: readFileSync(file, 'utf8'), mode: modeOf(file) }).toEqual({ text: `${token}\n`, mode: '600' })
    expect((await first.admin('/api/admin/members', { id: 'kept-inn', name: 'Kept inn', sector: 'accommodation' })).status).toBe(201)
    await stop(first)

    const second = await start({ TSUDOI_DATA_DIR: dir })
    expect({ token: second.hub.adminToken, generated: second.hub.adminTokenGenerated }).toEqual({ token, generated: false })
    expect({ text: readFileSync(file, 'utf8'), mode: modeOf(file) }).toEqual({ text: `${token}\n`, mode: '600' })
    const members = await second.api('/api/admin/members', { token })
    expect({ status: members.status, ids: members.body.members.map((m: { id: string }) => m.id) }).toEqual({ status: 200, ids: ['kept-inn'] })
  })

  it('is neither written nor accepted when TSUDOI_ADMIN_TOKEN is set', async () => {
    const dir = dataDir()
    const generated = await start({ TSUDOI_DATA_DIR: dir })
    const fileToken = generated.hub.adminToken
    await stop(generated)
    const configured = await start({ TSUDOI_DATA_DIR: dir, TSUDOI_ADMIN_TOKEN: 'configured-admin-token-0123' })
    expect({ token: configured.hub.adminToken, generated: configured.hub.adminTokenGenerated }).toEqual({ token: 'configured-admin-token-0123', generated: false })
    expect(readFileSync(join(dir, 'admin-token'), 'utf8')).toBe(`${fileToken}\n`)
    expect((await configured.api('/api/admin/members', { token: fileToken })).status).toBe(401)
    expect((await configured.api('/api/admin/members', { token: 'configured-admin-token-0123' })).status).toBe(200)

    const fresh = dataDir()
    await start({ TSUDOI_DATA_DIR: fresh, TSUDOI_ADMIN_TOKEN: 'configured-admin-token-0123' })
    expect(() => statSync(join(fresh, 'admin-token'))).toThrow(/ENOENT/)
  })
})
