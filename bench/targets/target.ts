import type { QueryableProbe } from '../lib/queryable.ts'
import type { DeviceLogin } from '../load/protocol.ts'

/** Something the same load generator can publish to, and whose store can be counted. */
export interface IngestTarget {
  /** Row label in the tables. */
  readonly name: string
  readonly key: 'embedded' | 'influx' | 'peer'
  readonly mqttPort: number
  readonly logins: DeviceLogin[]
  /** The broker / hub process first, then the rest of the stack (influxd, bridge). */
  readonly processes: Array<{ label: string, pid: number }>
  /** Readings in the store with from ≤ time ≤ to (epoch ms). */
  stored (from: number, to: number): Promise<number>
  /** Watches publish → queryable for a sample of the devices. */
  probe (): QueryableProbe
  /** The broker / hub still runs (and, for the hub, /api/health answers). */
  healthy (): Promise<boolean>
  /** The hub's own counters (/metrics), to explain a step: commits, batch sizes, backpressure. */
  diagnostics?: () => Promise<Map<string, number>>
  notes: string[]
  stop (): Promise<void>
}
