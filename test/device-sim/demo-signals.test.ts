import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// `npm run demo` stopped as a terminal stops it: Ctrl-C is one SIGINT to the whole process
// group (npm and the demo), and npm forwards its own copy to the demo as well.
describe('npm run demo and Ctrl-C', () => {
  const temp = mkdtempSync(join(tmpdir(), 'tsudoi-demo-test-'))
  afterAll(() => rmSync(temp, { recursive: true, force: true }))

  it('prints the end-of-run summary and leaves no temporary data behind', async () => {
    const child = spawn('npm', ['run', 'demo', '--silent'], {
      detached: true, // its own process group, as a shell gives a foreground job
      env: {
        PATH: process.env.PATH ?? '', TMPDIR: temp, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0',
        TSUDOI_DEMO_BACKFILL: '2h', TSUDOI_DEMO_INTERVAL: '1s', TSUDOI_SYNC: 'normal'
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    const exited = new Promise<{ code: number | null, signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    // Running: the banner names the organizer token once the community is provisioned.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (stderr.includes('Organizer token')) resolve()
      })
      void exited.then(() => reject(new Error(`demo exited early: ${stderr}`)))
    })
    expect(readdirSync(temp).filter((name) => name.startsWith('tsudoi-demo-'))).toHaveLength(1)
    const before = stdout.length // the dashboard build's size table

    process.kill(-child.pid!, 'SIGINT')
    // npm ends as its script did (exit 0 from the demo), or re-raises the SIGINT it was sent.
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await exited)
    expect(stdout.slice(before)).toMatch(/^Simulated 16 members, 32 devices \(seed 7\) for .*\n {2}messages {3}sent \d+, acknowledged \d+, lost \d+\n/)
    expect(readdirSync(temp).filter((name) => name.startsWith('tsudoi-demo-'))).toEqual([])
  }, 120_000)
})
