import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { alive } from './proc-stats.ts'

// The hub as its own process, as an organizer runs it (`tsx server/main.ts`), so its CPU and
// RSS can be read from /proc and a crash cannot take the benchmark down with it.

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface HubProcess {
  readonly pid: number
  readonly mqttPort: number
  readonly httpPort: number
  readonly httpUrl: string
  readonly adminToken: string
  readonly dataDir: string
  readonly child: ChildProcess
  output (): string
  alive (): boolean
  /** SIGTERM (the hub's clean shutdown), SIGKILL after 15 s; removes the data dir unless kept. */
  stop (options?: { keepData?: boolean }): Promise<void>
}

/** This process's open-file limit, soft (S) or hard (H): a child can be raised up to the hard one. */
export function nofileLimit (kind: 'S' | 'H'): number {
  const out = spawnSync('/bin/sh', ['-c', `ulimit -${kind}n`], { encoding: 'utf8' }).stdout.trim()
  return out === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(out) || 1024
}

export interface HubProcessOptions {
  env?: Record<string, string>
  /** An existing data dir (e.g. preloaded with readings); default: a fresh temp dir. */
  dataDir?: string
  /** Raise the open-file limit first, up to the hard limit (a process cannot raise its own beyond it). */
  nofile?: number
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[]
}

export async function startHubProcess (options: HubProcessOptions = {}): Promise<HubProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tsudoi-bench-'))
  const adminToken = `bench-${randomBytes(16).toString('hex')}`
  const node = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', 'server/main.ts']
  // `exec` keeps the pid: the pid we sample is the hub's node process, not a shell.
  const quoted = node.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ')
  const nofile = options.nofile === undefined ? undefined : Math.min(options.nofile, nofileLimit('H'))
  const command = nofile === undefined || nofile <= nofileLimit('S') ? node : ['/bin/sh', '-c', `ulimit -n ${nofile} && exec ${quoted}`]
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: {
      ...process.env,
      TSUDOI_HOST: '127.0.0.1',
      TSUDOI_MQTT_PORT: '0',
      TSUDOI_HTTP_PORT: '0',
      TSUDOI_LOG_LEVEL: 'warn',
      TSUDOI_DATA_DIR: dataDir,
      TSUDOI_ADMIN_TOKEN: adminToken,
      // The load generator is one address opening thousands of connections, many per device
      // (bench/measure/connections.ts): the limits before trust are for strangers, not for it.
      TSUDOI_CONNECT_RATE_PER_ADDRESS: '100000',
      TSUDOI_MAX_CONNECTIONS_PER_DEVICE: '1000',
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const keep = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-20_000) }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const orphan = (): void => { child.kill('SIGKILL') }
  process.once('exit', orphan)
  child.once('exit', () => process.off('exit', orphan))

  const ports = await new Promise<{ mqttPort: number, httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start within 60 s:\n${output}`)), 60_000)
    const check = (): void => {
      const mqtt = /MQTT \(TCP\)\s+mqtt:\/\/[^\s:]+:(\d+)/.exec(output)
      const http = /Dashboard & API\s+http:\/\/[^\s:]+:(\d+)/.exec(output)
      if (mqtt && http) {
        clearTimeout(timer)
        resolve({ mqttPort: Number(mqtt[1]), httpPort: Number(http[1]) })
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`hub exited (${code ?? signal}) before starting:\n${output}`)) })
  }).catch((error: unknown) => {
    child.kill('SIGKILL')
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    throw error
  })
  const pid = child.pid!
  return {
    pid,
    ...ports,
    httpUrl: `http://127.0.0.1:${ports.httpPort}`,
    adminToken,
    dataDir,
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null && alive(pid),
    async stop ({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(timer)
      }
      if (!keepData && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
