import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports.ts'

// A real InfluxDB 1.x server for the store's integration tests: its own temp meta/data/wal
// dirs, bound to 127.0.0.1 on free ports, nothing phoned home, no _internal monitor database
// (it would write every 10 s and take CPU from the tests on a 2-core machine).

export interface Influxd {
  readonly url: string
  readonly port: number
  readonly dir: string
  /** SIGTERM and wait for the exit; the dirs and the port stay for a later start(). */
  stop (): Promise<void>
  /** SIGKILL (a crash) and wait for the exit; the dirs stay. */
  kill (): Promise<void>
  /** Starts the server again with the same dirs and port, once it answers /ping. */
  start (): Promise<void>
  restart (): Promise<void>
  /** Kills the server if running and removes its dirs. */
  dispose (): Promise<void>
}

const BINARY = process.env.INFLUXD_BIN ?? 'influxd'

/**
 * Whether integration tests can run. Without `influxd`, a CI run fails (the suite must not
 * pass by skipping everything) and a local run skips loudly.
 */
export function influxdAvailable (): boolean {
  const probe = spawnSync(BINARY, ['version'], { encoding: 'utf8' })
  if (probe.error === undefined && probe.status === 0) return true
  const why = `${BINARY} not runnable (${probe.error?.message ?? `exit ${String(probe.status)}`}); install InfluxDB 1.x (Debian: apt-get install influxdb) or set INFLUXD_BIN`
  if (process.env.CI === 'true') throw new Error(`InfluxDB integration tests cannot run in CI: ${why}`)
  console.warn(`\n!!! SKIPPING InfluxDB integration tests: ${why} !!!\n`)
  return false
}

function config (dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  pprof-enabled = false
[logging]
  level = "warn"
  suppress-logo = true
`
}

async function waitForPing (url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`influxd exited (${String(child.exitCode ?? child.signalCode)}) before answering /ping:\n${log()}`)
    }
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })
      if (response.status === 204) return
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms:\n${log()}`)
}

export async function startInfluxd (): Promise<Influxd> {
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-influxd-'))
  const [port, rpcPort] = [await freePort(), await freePort()]
  const conf = join(dir, 'influxd.conf')
  writeFileSync(conf, config(dir, port, rpcPort))
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let output = ''

  const exited = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const done = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill(signal)
    await done
  }

  const server: Influxd = {
    url,
    port,
    dir,
    async start () {
      if (child !== undefined) return
      output = ''
      const started = spawn(BINARY, ['-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
      const keep = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-8000) }
      started.stdout?.on('data', keep)
      started.stderr?.on('data', keep)
      child = started
      // A worker that dies without afterAll must not leave influxd running.
      const orphan = (): void => { started.kill('SIGKILL') }
      process.once('exit', orphan)
      started.once('exit', () => process.off('exit', orphan))
      await waitForPing(url, started, () => output)
    },
    async stop () { await exited('SIGTERM') },
    async kill () { await exited('SIGKILL') },
    async restart () {
      await server.stop()
      await server.start()
    },
    async dispose () {
      await exited('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }
  try {
    await server.start()
  } catch (error) {
    await server.dispose()
    throw error
  }
  return server
}

/** Runs one InfluxQL statement against the server (test assertions, fixtures). */
export async function influxQuery (url: string, q: string, database?: string): Promise<unknown> {
  const params = new URLSearchParams({ q, epoch: 'ms' })
  if (database !== undefined) params.set('db', database)
  const response = await fetch(`${url}/query`, { method: 'POST', body: params })
  const body = await response.json() as { results?: Array<{ error?: string }>, error?: string }
  const error = body.error ?? body.results?.find((result) => result.error !== undefined)?.error
  if (!response.ok || error !== undefined) throw new Error(`influxd ${response.status}: ${error ?? JSON.stringify(body)}`)
  return body
}
