import { type ChildProcess, fork } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Histogram } from '../lib/histogram.ts'
import type { Command, Connected, DeviceLogin, Event, Ran, Status } from './protocol.ts'

// The parent side of the load generator: forks worker processes (worker.ts), deals the
// connections out to them, and merges what they measured.

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))
let bundled: Promise<string> | undefined

/** The worker bundled to plain JavaScript once per run: a fork then starts in ~0.1 s instead of ~2 s under tsx. */
function workerScript (): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(tmpdir(), `tsudoi-bench-worker-${process.pid}.mjs`)
    await build({ entryPoints: [WORKER], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' })
    process.once('exit', () => rmSync(outfile, { force: true }))
    return outfile
  })()
  return bundled
}

export interface RunOptions {
  /** Messages per second offered in total. */
  rate: number
  durationMs: number
  qos: 0 | 1
  maxInflight?: number
  payloadBytes?: number
  drainMs?: number
}

export interface RunResult {
  rate: number
  durationMs: number
  qos: 0 | 1
  offered: number
  sent: number
  acked: number
  unacked: number
  closed: number
  latency: Histogram
  /** Generator CPU over the run, % of one core (all workers together). */
  cpuPercent: number
  /** Wall-clock ms when the load started and stopped. */
  startedAt: number
  stoppedAt: number
  settledAt: number
  maxTs: number
}

class Worker {
  private waiting: Array<{ ev: Event['ev'], resolve: (event: Event) => void, reject: (error: Error) => void }> = []

  constructor (readonly child: ChildProcess) {
    child.on('message', (event: Event) => {
      if (event.ev === 'error') {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`load worker: ${event.message}`))
        return
      }
      const index = this.waiting.findIndex((w) => w.ev === event.ev)
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(event)
    })
    child.once('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`load worker exited (${code})`))
    })
  }

  ask<E extends Event> (command: Command, ev: E['ev']): Promise<E> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ev, resolve: resolve as (event: Event) => void, reject })
      this.child.send(command)
    })
  }
}

export class LoadGenerator {
  private share: number[] = []
  /** The newest `ts` sent so far: a run starts after it, so each run's readings own a time window. */
  private maxTs = 0

  private constructor (private readonly workers: Worker[]) {}

  /** Forks `count` worker processes (the machine's cores are shared with the hub: 2 is plenty). */
  static async start (count = 2): Promise<LoadGenerator> {
    const script = await workerScript()
    const workers = Array.from({ length: count }, () => new Worker(fork(script, [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })))
    return new LoadGenerator(workers)
  }

  get pids (): number[] {
    return this.workers.map((w) => w.child.pid!)
  }

  /** Opens one MQTT connection per login, dealt round-robin to the workers. */
  async connect (host: string, port: number, devices: DeviceLogin[], options: { keepaliveS?: number, concurrency?: number, timeoutMs?: number } = {}): Promise<Connected> {
    const parts = this.workers.map((_, w) => devices.filter((_, i) => i % this.workers.length === w))
    const started = performance.now()
    const results = await Promise.all(this.workers.map((worker, w) => worker.ask<Connected>({
      cmd: 'connect',
      host,
      port,
      devices: parts[w]!,
      keepaliveS: options.keepaliveS ?? 60,
      concurrency: options.concurrency ?? 50,
      timeoutMs: options.timeoutMs ?? 30_000
    }, 'connected')))
    this.share = results.map((r) => r.connected)
    const firstError = results.find((r) => r.firstError !== undefined)?.firstError
    return {
      ev: 'connected',
      connected: results.reduce((sum, r) => sum + r.connected, 0),
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      ...(firstError === undefined ? {} : { firstError }),
      ms: performance.now() - started
    }
  }

  async run (options: RunOptions): Promise<RunResult> {
    const total = this.share.reduce((a, b) => a + b, 0)
    if (total === 0) throw new Error('no connections')
    // Above ~1000 msgs/s per connection the unique per-device timestamps run ahead of the
    // clock; the next run waits for the clock to pass them.
    const startAt = Math.max(Date.now(), this.maxTs + 1) + 100
    const results = await Promise.all(this.workers.map((worker, w) => worker.ask<Ran>({
      cmd: 'run',
      rate: (options.rate * this.share[w]!) / total,
      durationMs: options.durationMs,
      qos: options.qos,
      maxInflight: options.maxInflight ?? 64,
      payloadBytes: options.payloadBytes ?? 120,
      startAt,
      drainMs: options.drainMs ?? 3000
    }, 'ran')))
    const latency = new Histogram()
    for (const r of results) latency.merge(Histogram.fromSparse(r.latency))
    const sum = (pick: (r: Ran) => number): number => results.reduce((s, r) => s + pick(r), 0)
    const stoppedAt = Math.max(...results.map((r) => r.stoppedAt))
    this.maxTs = Math.max(this.maxTs, ...results.map((r) => r.maxTs))
    return {
      rate: options.rate,
      durationMs: options.durationMs,
      qos: options.qos,
      offered: sum((r) => r.offered),
      sent: sum((r) => r.sent),
      acked: sum((r) => r.acked),
      unacked: sum((r) => r.unacked),
      closed: sum((r) => r.closed),
      latency,
      cpuPercent: (sum((r) => r.cpuMs) / (stoppedAt - startAt)) * 100,
      startedAt: startAt,
      stoppedAt,
      settledAt: Math.max(...results.map((r) => r.settledAt)),
      maxTs: Math.max(...results.map((r) => r.maxTs))
    }
  }

  /** Connections still open / closed since connect. */
  async status (): Promise<{ open: number, closed: number }> {
    const all = await Promise.all(this.workers.map((worker) => worker.ask<Status>({ cmd: 'status' }, 'status')))
    return { open: all.reduce((s, a) => s + a.open, 0), closed: all.reduce((s, a) => s + a.closed, 0) }
  }

  async close (): Promise<void> {
    await Promise.all(this.workers.map(async (worker) => {
      if (worker.child.exitCode !== null) return
      const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()))
      try { await worker.ask({ cmd: 'close' }, 'closed') } catch { /* already gone */ }
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }))
  }
}
