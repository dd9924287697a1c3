import type { Reading } from '../domain/reading.ts'

// The contract every reading store keeps (embedded SQLite, InfluxDB). One contract suite
// (test/store/reading-store.contract.ts) runs against each implementation.

export interface RawQuery {
  member: string
  metric?: string
  device?: string
  from: number
  to: number
  limit: number
}

export interface SeriesQuery {
  member: string
  metric: string
  device?: string
  from: number
  to: number
  bucketMs: number
}

export interface SeriesPoint { time: number, mean: number, min: number, max: number, count: number }

/** Per-member aggregates for the comparison engine: one value per member and bucket. */
export interface MemberBucketQuery {
  metric: string
  /** Restrict to these sectors; undefined = all. */
  sector?: string
  from: number
  to: number
  bucketMs: number
  /** gauge: mean over the bucket averaged across the member's devices; counter: increase summed across devices. */
  kind: 'gauge' | 'counter'
}

export interface MemberBucketValue { time: number, member: string, value: number }

export interface MetricPresence { metric: string, sector: string, members: number }

export interface ReadingStore {
  readonly kind: string
  open (): Promise<void>
  /** Resolves once the readings are durable. */
  append (readings: readonly Reading[]): Promise<void>
  /** Raw readings of one member, newest first. */
  readings (query: RawQuery): Promise<Reading[]>
  /** Bucketed statistics of one member's readings, computed in the store. Bucket start times, oldest first. */
  series (query: SeriesQuery): Promise<SeriesPoint[]>
  /** Per-member, per-bucket aggregates (comparison input), oldest first. */
  memberBuckets (query: MemberBucketQuery): Promise<MemberBucketValue[]>
  /** The metrics a member has readings of. */
  memberMetrics (member: string): Promise<string[]>
  /** Every (device, metric) series held, for the per-device metric cap at start; a store without it starts the count afresh. */
  deviceMetrics? (): Promise<Array<{ device: string, metric: string }>>
  /** Distinct members per metric and sector since a time (for the community overview). */
  presence (since: number): Promise<MetricPresence[]>
  /** Called when a worker thread of the store stops answering (its pending writes are refused). */
  onWorkerFailure? (listener: (worker: string, error: Error) => void): void
  /** Forgets every reading of a member (data deletion on request or workshop expiry). */
  deleteMember (member: string): Promise<void>
  close (): Promise<void>
}
