import type { Community } from './community.ts'
import { formatDuration } from '../server/domain/duration.ts'
import type { SimulationOptions } from './options.ts'
import type { SimStats, SimulationSummary } from './stats.ts'

// The end-of-run report: one object (returned by runSimulation) and its text form (printed by the CLI).

export interface SummaryInput {
  options: SimulationOptions
  stats: SimStats
  community: Community
  failures: Array<{ device: string, message: string }>
  connectedAtEnd: number
  startedAt: number
  endedAt: number
  simulatedFrom: number
  simulatedTo: number
}

export function summarize (input: SummaryInput): SimulationSummary {
  const { stats, options } = input
  return {
    seed: options.seed,
    members: input.community.members.length,
    devices: input.community.devices.length,
    connectFailures: input.failures,
    connectedAtEnd: input.connectedAtEnd,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    simulatedFrom: input.simulatedFrom,
    simulatedTo: input.simulatedTo,
    messages: { sent: stats.messagesSent, acknowledged: stats.acknowledged, failed: stats.failed },
    readings: { sent: stats.readingsSent, live: stats.readingsLive, backfill: stats.readingsBackfill, backlog: stats.readingsBacklog },
    refusedByHub: { total: stats.refused, byCode: { ...stats.refusedByCode } },
    backfill: options.backfill === undefined
      ? null
      : { readings: stats.readingsBackfill, messages: stats.backfillMessages, durationMs: stats.backfillMs },
    faults: {
      rates: { ...options.faults },
      dropout: { started: stats.dropoutsStarted, readingsSkipped: stats.dropoutSkipped },
      offlineBacklog: { outages: stats.outages, readingsBuffered: stats.readingsBacklog, messages: stats.backlogMessages },
      clockSkew: { devices: stats.skewedDevices, unsynced: stats.unsyncedDevices, readings: stats.skewedReadings },
      malformed: { sent: stats.malformedSent, byKind: { ...stats.malformedByKind } }
    }
  }
}

const iso = (time: number): string => new Date(time).toISOString().slice(0, 16).replace('T', ' ')
const counts = (byKey: Record<string, number>): string =>
  Object.entries(byKey).sort(([, a], [, b]) => b - a).map(([key, n]) => `${key} ${n}`).join(', ') || 'none'

export function formatSummary (s: SimulationSummary): string {
  const f = s.faults
  const lines = [
    `Simulated ${s.members} members, ${s.devices} devices (seed ${s.seed}) for ${formatDuration(s.endedAt - s.startedAt)}; data from ${iso(s.simulatedFrom)} to ${iso(s.simulatedTo)} UTC`,
    `  messages   sent ${s.messages.sent}, acknowledged ${s.messages.acknowledged}, lost ${s.messages.failed}`,
    `  readings   ${s.readings.sent} (live ${s.readings.live}, backfill ${s.readings.backfill}, after outages ${s.readings.backlog})`,
    `  refused by the hub: ${s.refusedByHub.total} (${counts(s.refusedByHub.byCode)})`
  ]
  if (s.backfill !== null) lines.push(`  backfill   ${s.backfill.readings} readings in ${s.backfill.messages} messages, ${formatDuration(s.backfill.durationMs)}`)
  if (Object.keys(f.rates).length > 0) {
    lines.push(`  faults     ${counts(f.rates as Record<string, number>).replace(/ (\d)/g, '=$1')}`)
    lines.push(`    dropout          ${f.dropout.started} sensor dropouts, ${f.dropout.readingsSkipped} readings skipped`)
    lines.push(`    offline-backlog  ${f.offlineBacklog.outages} outages, ${f.offlineBacklog.readingsBuffered} readings sent late in ${f.offlineBacklog.messages} backlog messages`)
    lines.push(`    clock-skew       ${f.clockSkew.devices} devices (${f.clockSkew.unsynced} never synced), ${f.clockSkew.readings} readings stamped by them`)
    lines.push(`    malformed        ${f.malformed.sent} sent (${counts(f.malformed.byKind)})`)
  }
  if (s.connectFailures.length > 0) {
    lines.push(`  could not connect: ${s.connectFailures.length} device(s)`)
    for (const failure of s.connectFailures.slice(0, 5)) lines.push(`    ${failure.device}: ${failure.message}`)
  }
  return lines.join('\n')
}
