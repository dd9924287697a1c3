import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCli } from '../../device-sim/cli-args.ts'
import { deviceFormats } from '../../server/domain/device-formats.ts'
import { sectors } from '../../server/domain/sectors.ts'
import { type TestHub, startTestHub } from '../helpers/hub.ts'

const run = promisify(execFile)

/** The real `npx tsudoi` entry point as a child process; resolves with its output and exit code. */
async function tsudoi (args: string[], env: Record<string, string> = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/tsudoi.mjs', ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A loopback port nothing listens on. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('tsudoi CLI', () => {
  let t: TestHub
  let env: Record<string, string>
  beforeAll(async () => {
    t = await startTestHub()
    env = { TSUDOI_ADMIN_TOKEN: t.hub.adminToken }
  })
  afterAll(async () => { await t.stop() })

  it('says where it looked for the hub and how to start one when nothing answers', async () => {
    const port = await closedPort()
    const result = await tsudoi(['member', 'list', '--url', `http://127.0.0.1:${port}`], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`tsudoi: no hub answered at http://127.0.0.1:${port} (ECONNREFUSED). Start one with \`npm start\` in the Tsudoi folder, or pass --url to reach another hub.\n`)
  })

  it('says where it looked for the organizer token when there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tsudoi-cli-'))
    try {
      const result = await tsudoi(['member', 'list', '--url', t.hub.httpUrl], { TSUDOI_DATA_DIR: empty })
      expect(result.code).toBe(1)
      expect(result.stderr).toBe(`tsudoi: no organizer token: pass --token, set TSUDOI_ADMIN_TOKEN, or run from the hub's directory (looked for ${join(empty, 'admin-token')})\n`)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('names the flags, not the JSON fields, in validation errors', async () => {
    const badSector = await tsudoi(['member', 'add', '--url', t.hub.httpUrl, '--name', 'X', '--sector', 'spaceport'], env)
    expect(badSector.code).toBe(1)
    expect(badSector.stderr).toMatch(/^tsudoi: VALIDATION_FAILED: --sector: /)
    const noName = await tsudoi(['member', 'add', '--url', t.hub.httpUrl, '--sector', 'retail', '--seats', 'many'], env)
    expect(noName.stderr).toMatch(/^tsudoi: VALIDATION_FAILED: --name: .*; --seats: /)
  })

  it('lists every sector and device format in --help', async () => {
    const help = await tsudoi(['--help'])
    expect(help.code).toBe(0)
    for (const word of [...sectors, ...deviceFormats]) expect(help.stdout).toContain(word)
    expect(help.stdout).toContain('workshop add --name NAME --expires')
  })

  it('runs a workshop: add, list, end', async () => {
    const added = await tsudoi(['workshop', 'add', '--url', t.hub.httpUrl, '--name', 'Harbour IoT night', '--expires', '2h', '--sector', 'fishery', '--json'], env)
    expect(added.code).toBe(0)
    const workshop = JSON.parse(added.stdout)
    expect(workshop).toMatchObject({ name: 'Harbour IoT night', sector: 'fishery', ended: false })
    expect(workshop.expiresAt - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000)
    expect(workshop.expiresAt - Date.now()).toBeLessThanOrEqual(2 * 3_600_000)
    const listed = await tsudoi(['workshop', 'list', '--url', t.hub.httpUrl], env)
    expect(listed.stdout).toMatch(new RegExp(`^${workshop.id}\\t${workshop.code}\\tuntil \\d{4}-.*\\t0 member\\(s\\)\\t`, 'm'))
    const join = await t.api('/api/join', { body: { code: workshop.code, name: 'Attendee' } })
    expect(join.status).toBe(201)

    expect((await tsudoi(['workshop', 'end', workshop.id, '--url', t.hub.httpUrl], env)).code).toBe(0)
    const ended = await tsudoi(['workshop', 'list', '--url', t.hub.httpUrl], env)
    expect(ended.stdout).toMatch(new RegExp(`^${workshop.id}\\t${workshop.code}\\tended\\t1 member\\(s\\)\\t`, 'm'))
    // The attendee's key stops working with the workshop (not kept).
    expect((await t.api('/api/me', { token: join.body.member.accessKey })).status).toBe(401)
  })
})

describe('tsudoi-sim', () => {
  it('reads the organizer token from the hub\'s data dir, as tsudoi does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsudoi-sim-token-'))
    try {
      writeFileSync(join(dir, 'admin-token'), 'tsa_from_file\n')
      expect(parseCli(['--provision'], { TSUDOI_DATA_DIR: dir }).input.adminToken).toBe('tsa_from_file')
      expect(parseCli(['--provision', '--admin-token', 'tsa_flag'], { TSUDOI_DATA_DIR: dir }).input.adminToken).toBe('tsa_flag')
      expect(parseCli(['--provision'], { TSUDOI_DATA_DIR: dir, TSUDOI_ADMIN_TOKEN: 'tsa_env' }).input.adminToken).toBe('tsa_env')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
