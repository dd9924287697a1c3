import type { FaultName } from './options.ts'

// Everything the simulator counts, kept in one place so the live status line, the final
// summary and the programmatic API all report the same numbers.

export type Phase = 'provisioning' | 'connecting' | 'backfill' | 'live' | 'stopping' | 'done'

export interface Status {
  phase: Phase
  devices: number
  connected: number
  messagesSent: number
  readingsSent: number
  acknowledged: number
  refusedByHub: number
  /** Backfill progress, 0…1, while it runs. */
  backfillDone?: number
  /** The simulated time (epoch ms). */
  simTime: number
}

export interface SimulationSummary {
  seed: number
  members: number
  devices: number
  /** Devices that never managed to connect, with the reason. */
  connectFailures: Array<{ device: string, message: string }>
  connectedAtEnd: number
  startedAt: number
  endedAt: number
  simulatedFrom: number
  simulatedTo: number
  messages: { sent: number, acknowledged: number, failed: number }
  readings: { sent: number, live: number, backfill: number, backlog: number }
  refusedByHub: { total: number, byCode: Record<string, number> }
  backfill: { readings: number, messages: number, durationMs: number } | null
  faults: {
    rates: Partial<Record<FaultName, number>>
    dropout: { started: number, readingsSkipped: number }
    offlineBacklog: { outages: number, readingsBuffered: number, messages: number }
    clockSkew: { devices: number, unsynced: number, readings: number }
    malformed: { sent: number, byKind: Record<string, number> }
  }
}

export class SimStats {
  messagesSent = 0
  acknowledged = 0
  failed = 0
  readingsLive = 0
  readingsBackfill = 0
  readingsBacklog = 0
  refused = 0
  readonly refusedByCode: Record<string, number> = {}
  /** Readings (timestamps × devices) the backfill covers, and how many are done. */
  backfillTotal = 0
  backfillDone = 0
  backfillMessages = 0
  backfillMs = 0
  dropoutsStarted = 0
  dropoutSkipped = 0
  outages = 0
  backlogMessages = 0
  skewedDevices = 0
  unsyncedDevices = 0
  skewedReadings = 0
  malformedSent = 0
  readonly malformedByKind: Record<string, number> = {}

  get readingsSent (): number {
    return this.readingsLive + this.readingsBackfill + this.readingsBacklog
  }

  countRefusal (code: string): void {
    this.refused++
    this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1
  }

  countMalformed (kind: string): void {
    this.malformedSent++
    this.malformedByKind[kind] = (this.malformedByKind[kind] ?? 0) + 1
  }
}
