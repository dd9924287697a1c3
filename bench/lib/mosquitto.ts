import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, sleep } from './ports.ts'

// Debian's Mosquitto as the peer broker, stock settings (its default per-client queue of 1000
// messages included: that is what users run), on a free port of 127.0.0.1.

const BINARY = process.env.MOSQUITTO_BIN ?? (spawnSync('sh', ['-c', 'command -v mosquitto || ls /usr/sbin/mosquitto'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? 'mosquitto')

export function mosquittoVersion (): string | undefined {
  const probe = spawnSync(BINARY, ['-h'], { encoding: 'utf8' })
  if (probe.error !== undefined) return undefined
  return /mosquitto version (\S+)/.exec(probe.stdout + probe.stderr)?.[1]
}

export interface Mosquitto { port: number, pid: number, child: ChildProcess, stop (): Promise<void> }

export async function startMosquitto (): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-bench-mosquitto-'))
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n`)
  let output = ''
  const child = spawn(BINARY, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const orphan = (): void => { child.kill('SIGKILL') }
  process.once('exit', orphan)
  child.once('exit', () => process.off('exit', orphan))
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited: ${output}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
      socket.on('error', () => resolve(false))
    })
    if (open) break
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${output}`)
    await sleep(50)
  }
  return {
    port,
    pid: child.pid!,
    child,
    async stop () {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
