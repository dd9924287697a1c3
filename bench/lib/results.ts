import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

// Every measurement is appended as one JSON line to bench/results/<date>.jsonl (git-ignored),
// tagged with the run id and the machine, so runs can be compared later.

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url))

export interface Machine { nproc: number, cpu: string, memoryGB: number, node: string, kernel: string, loadAvg: string }

export function machine (): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown'
  let kernel = 'unknown'
  try { kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() } catch { /* not Linux */ }
  let loadAvg = ''
  try { loadAvg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') } catch { /* not Linux */ }
  return { nproc: cpus().length, cpu: model, memoryGB: Math.round(totalmem() / 2 ** 30 * 10) / 10, node: process.version, kernel, loadAvg }
}

export class ResultLog {
  readonly file: string
  readonly runId: string

  constructor (readonly quick: boolean, now = new Date()) {
    mkdirSync(RESULTS_DIR, { recursive: true })
    this.file = `${RESULTS_DIR}${now.toISOString().slice(0, 10)}.jsonl`
    this.runId = now.toISOString()
  }

  write (measurement: string, data: Record<string, unknown>): void {
    appendFileSync(this.file, JSON.stringify({ run: this.runId, quick: this.quick, measurement, ...data }) + '\n')
  }
}
