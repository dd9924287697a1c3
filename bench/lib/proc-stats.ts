import { readFileSync } from 'node:fs'

// CPU and memory of a process (the hub, influxd, mosquitto, the bridge) from /proc, sampled
// while a measurement runs. CPU is reported in % of one core, so 200 % is both cores of a
// 2-core machine.

const CLOCK_TICKS = 100 // getconf CLK_TCK on Linux

export interface ProcSnapshot { cpuMs: number, rssBytes: number, peakRssBytes: number }

/** One reading of /proc/<pid>; undefined once the process is gone. */
export function snapshot (pid: number): ProcSnapshot | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces: parse after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12]) // utime + stime (fields 14, 15)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
  } catch {
    return undefined
  }
}

/** CPU time the whole machine spent busy (all cores, all processes), from /proc/stat. */
export function machineBusyMs (): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = fields.reduce((sum, v, i) => (i === 3 || i === 4 || i > 7) ? sum : sum + v, 0)
    return (busy * 1000) / CLOCK_TICKS
  } catch {
    return Number.NaN
  }
}

export function alive (pid: number): boolean {
  return snapshot(pid) !== undefined
}

export interface ProcUsage {
  /** Average CPU over the window, % of one core. */
  cpuPercent: number
  rssMaxMB: number
  rssEndMB: number
}

/** Samples processes every `everyMs` between start() and stop(). */
export class ProcSampler {
  /** Whole-machine CPU over the window, % of one core (ours and everybody else's). */
  machineCpuPercent = Number.NaN
  elapsedMs = Number.NaN
  private machineStart = 0
  private first = new Map<number, ProcSnapshot>()
  private last = new Map<number, ProcSnapshot>()
  private maxRss = new Map<number, number>()
  private timer: NodeJS.Timeout | undefined
  private startedAt = 0

  constructor (private readonly pids: readonly number[], private readonly everyMs = 200) {}

  start (): void {
    this.startedAt = performance.now()
    this.machineStart = machineBusyMs()
    for (const pid of this.pids) {
      const s = snapshot(pid)
      if (s !== undefined) { this.first.set(pid, s); this.last.set(pid, s); this.maxRss.set(pid, s.rssBytes) }
    }
    this.timer = setInterval(() => this.sample(), this.everyMs)
    this.timer.unref()
  }

  private sample (): void {
    for (const pid of this.pids) {
      const s = snapshot(pid)
      if (s === undefined) continue
      this.last.set(pid, s)
      this.maxRss.set(pid, Math.max(this.maxRss.get(pid) ?? 0, s.rssBytes))
    }
  }

  /** Usage per pid over the window. */
  stop (): Map<number, ProcUsage> {
    clearInterval(this.timer)
    this.sample()
    const elapsed = performance.now() - this.startedAt
    this.elapsedMs = elapsed
    this.machineCpuPercent = ((machineBusyMs() - this.machineStart) / elapsed) * 100
    const out = new Map<number, ProcUsage>()
    for (const pid of this.pids) {
      const first = this.first.get(pid)
      const last = this.last.get(pid)
      if (first === undefined || last === undefined) continue
      out.set(pid, {
        cpuPercent: elapsed > 0 ? ((last.cpuMs - first.cpuMs) / elapsed) * 100 : Number.NaN,
        rssMaxMB: (this.maxRss.get(pid) ?? 0) / 2 ** 20,
        rssEndMB: last.rssBytes / 2 ** 20
      })
    }
    return out
  }
}
