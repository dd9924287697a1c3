import { setMaxListeners } from 'node:events'
import { ZodError } from 'zod'
import { backfillDevice, backfillTimes } from './backfill.ts'
import { SimClock, type Timers, realTimers } from './clock.ts'
import { type Community, buildCommunity } from './community.ts'
import { SimulationError } from './errors.ts'
import { DeviceFaults } from './faults.ts'
import { type Connect, DeviceLink } from './link.ts'
import { runLive } from './live.ts'
import { type SimulationInput, type SimulationOptions, resolveOptions } from './options.ts'
import { type ProvisionReport, ProvisionError, missingCredentials, provisionCommunity } from './provision.ts'
import { type SimState, StateFileError, emptyState, loadState, saveState } from './state.ts'
import { type Phase, SimStats, type SimulationSummary, type Status } from './stats.ts'
import { summarize } from './summary.ts'

// The programmatic API: build the community from the seed, provision it (or take its
// credentials from the state file), connect every device, backfill history, report live
// until the duration ends or the signal aborts, then disconnect cleanly and summarize.

export interface ProvisionedMember { id: string, name: string, sector: string, accessKey: string }

export type SimEvent =
  | { type: 'phase', phase: Phase }
  | { type: 'provisioned', members: ProvisionedMember[], report: ProvisionReport | null }
  | { type: 'status', status: Status }
  | { type: 'warning', message: string }

export interface SimulationHooks {
  signal?: AbortSignal
  onEvent?: (event: SimEvent) => void
  /** How often a `status` event is emitted, ms (0: never). Default 1000. */
  statusEveryMs?: number
  timers?: Timers
  fetch?: typeof fetch
  connect?: Connect
}

const HOUR = 3_600_000
const DAY = 86_400_000

export async function runSimulation (input: SimulationInput, hooks: SimulationHooks = {}): Promise<SimulationSummary> {
  const options = parseOptions(input)
  const signal = hooks.signal ?? new AbortController().signal
  const timers = hooks.timers ?? realTimers
  const emit = (event: SimEvent): void => { hooks.onEvent?.(event) }
  const stats = new SimStats()
  const startedAt = timers.now()
  // With --speed > 1 the live run replays the recent past (clock.ts); history comes before that.
  const lead = options.speed > 1 ? (options.speed - 1) * (options.duration ?? DAY) : 0
  const historyFrom = startedAt - lead - (options.backfill ?? 0)

  let state = readState(options)
  const meterEpoch = options.meterEpoch ?? state.meterEpochs[String(options.seed)] ?? Math.floor((historyFrom - DAY) / HOUR) * HOUR
  state.meterEpochs[String(options.seed)] = meterEpoch
  const community = buildCommunity({ ...options, meterEpoch })

  let phase: Phase = 'provisioning'
  const enter = (next: Phase): void => { phase = next; emit({ type: 'phase', phase }) }
  enter('provisioning')
  state = await provision(options, community, state, hooks, emit)

  enter('connecting')
  const links = community.devices.map((device) => new DeviceLink(device, state.devices[device.id]?.token ?? '', options.url, stats, hooks.connect))
  const failures = await connectAll(links, options.connectTimeout, signal)
  for (const failure of failures) emit({ type: 'warning', message: `${failure.device}: could not connect: ${failure.message}` })
  const live = links.filter((link) => link.connected)
  if (live.length === 0 && !signal.aborted) {
    throw new SimulationError('CONNECT_FAILED', `no device could connect to ${options.url}: ${failures[0]?.message ?? 'unknown reason'}`)
  }

  let clock: SimClock | undefined
  let connectedAtEnd = 0
  let simulatedTo = historyFrom
  const status = (): Status => ({
    phase,
    devices: links.length,
    connected: links.filter((l) => l.connected).length,
    messagesSent: stats.messagesSent,
    readingsSent: stats.readingsSent,
    acknowledged: stats.acknowledged,
    refusedByHub: stats.refused,
    backfillDone: phase === 'backfill' && stats.backfillTotal > 0 ? stats.backfillDone / stats.backfillTotal : undefined,
    simTime: clock?.now() ?? simulatedTo
  })
  const statusEvery = hooks.statusEveryMs ?? 1000
  const ticker = statusEvery > 0 ? setInterval(() => emit({ type: 'status', status: status() }), statusEvery) : undefined
  ticker?.unref()

  try {
    const backfillStarted = timers.now()
    if (options.backfill !== undefined && options.backfill > 0 && !signal.aborted) {
      enter('backfill')
      // Passes until history reaches the moment live reporting starts (the first pass takes a while).
      let from = historyFrom
      for (let pass = 0; pass < 3 && !signal.aborted; pass++) {
        const to = timers.now() - lead
        if (to - from < options.backfillInterval) break
        const plan = { from, to, step: options.backfillInterval, batch: options.batch, window: 4 }
        stats.backfillTotal += backfillTimes(plan).length * live.length
        await Promise.all(live.map((link) => backfillDevice(link, plan, stats, signal)))
        simulatedTo = to
        from = to
      }
      stats.backfillMs = timers.now() - backfillStarted
    }

    if (!signal.aborted) {
      enter('live')
      clock = new SimClock(options.speed, options.duration, timers)
      const stop = new AbortController()
      const liveSignal = AbortSignal.any([signal, stop.signal])
      setMaxListeners(0, liveSignal) // every device's timer listens to it
      const timer = options.duration === undefined ? undefined : timers.setTimeout(() => stop.abort(), options.duration)
      const faults = live.map((link) => new DeviceFaults(options.seed, link.device, options.faults, clock?.now() ?? startedAt))
      stats.skewedDevices = faults.filter((f) => f.clock !== undefined).length
      stats.unsyncedDevices = faults.filter((f) => f.clock?.kind === 'unsynced').length
      await Promise.all(live.map((link, i) => runLive(link, faults[i] as DeviceFaults, clock as SimClock, options, stats, liveSignal)))
      if (timer !== undefined) timers.clearTimeout(timer)
      simulatedTo = clock.now()
    }
  } finally {
    connectedAtEnd = links.filter((l) => l.connected).length
    enter('stopping')
    await Promise.all(links.map((link) => link.close()))
    if (ticker !== undefined) clearInterval(ticker)
  }
  enter('done')
  emit({ type: 'status', status: status() })
  return summarize({ options, stats, community, failures, connectedAtEnd, startedAt, endedAt: timers.now(), simulatedFrom: options.backfill !== undefined ? historyFrom : clock?.simStart ?? startedAt, simulatedTo })
}

function parseOptions (input: SimulationInput): SimulationOptions {
  try {
    return resolveOptions(input)
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    const lines = error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
    throw new SimulationError('INVALID_OPTIONS', lines.join('\n'), { cause: error })
  }
}

function readState (options: SimulationOptions): SimState {
  if (options.state === undefined) return emptyState()
  try {
    return loadState(options.state)
  } catch (error) {
    if (error instanceof StateFileError) throw new SimulationError('STATE_FILE', error.message, { cause: error })
    throw error
  }
}

async function provision (
  options: SimulationOptions, community: Community, state: SimState, hooks: SimulationHooks, emit: (event: SimEvent) => void
): Promise<SimState> {
  let report: ProvisionReport | null = null
  if (options.provision) {
    const file = options.state
    const save = file === undefined ? undefined : (next: SimState): void => saveState(file, next)
    try {
      const done = await provisionCommunity(community, state, {
        api: options.api ?? '', adminToken: options.adminToken ?? '', fetch: hooks.fetch, signal: hooks.signal, save
      })
      state = done.state
      report = done.report
      save?.(state)
    } catch (error) {
      if (error instanceof ProvisionError) throw new SimulationError('PROVISION_FAILED', `provisioning failed: ${error.message}`, { cause: error })
      throw error
    }
  } else {
    const missing = missingCredentials(community, state)
    if (missing.length > 0) {
      throw new SimulationError('NO_CREDENTIALS', `the state file has no token for ${missing.length} device(s) (${missing.slice(0, 3).join(', ')}…); run once with --provision`)
    }
    if (options.state !== undefined) saveState(options.state, state)
  }
  const members = community.members.map((m) => ({ id: m.id, name: m.name, sector: m.sector, accessKey: state.members[m.id]?.accessKey ?? '' }))
  emit({ type: 'provisioned', members, report })
  return state
}

async function connectAll (links: DeviceLink[], timeoutMs: number, signal: AbortSignal): Promise<Array<{ device: string, message: string }>> {
  const failures: Array<{ device: string, message: string }> = []
  let next = 0
  // A handful at a time: a hundred CONNECTs in the same millisecond is not what a hub meets in the field.
  const worker = async (): Promise<void> => {
    while (next < links.length && !signal.aborted) {
      const link = links[next++] as DeviceLink
      try {
        await link.open(timeoutMs)
      } catch (error) {
        failures.push({ device: link.device.id, message: (error as Error).message })
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  return failures
}
