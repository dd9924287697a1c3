import { z } from 'zod'
import type { Log } from '../../log.ts'
import { decodeTag } from './escape.ts'
import { type InfluxHttp, rowsOf } from './http.ts'
import { releaseCellsQuery, releasedBucketsQuery, releasedSpanQuery } from './release-points.ts'
import type { BucketKey, ReleaseStore, StoredBucket } from '../release-store.ts'

// Brings releases.db in line with the InfluxDB archive before the releaser runs its first pass
// (release-archive.ts): a lost or new data dir, or a new node, gets back every bucket
// already released, so no past bucket is released again with different contents — after a
// consent change that recomputation would give the withdrawn member away (issue 13).
//
// - a bucket InfluxDB holds that this file lacks, or holds but has not archived yet: InfluxDB's
//   copy is taken, byte for byte (what was archived first is what every node serves);
// - a bucket this file holds as archived that InfluxDB lacks (its data was lost, or the hub ran
//   without InfluxDB when it was made): queued to be written again, with the same body.
// Buckets both hold as archived are not read again: the markers are all a restart reads. It
// goes a week of bucket starts at a time, so memory holds one week's markers, however long the
// history.

/** Bucket starts compared per step: a week (168 hourly buckets of each series, with ~10–40 cells each). */
const WINDOW_MS = 7 * 86_400_000

const markerRow = z.object({
  time: z.number(), released_at: z.number(), cells: z.number(), series: z.string(), size: z.string()
})
const cellRow = z.object({ time: z.number(), body: z.string(), per: z.string().nullish(), cohort: z.string() })
const releaseBody = z.looseObject({ time: z.number() })

interface Marker extends BucketKey { releasedAt: number, cells: number }

export interface RestoreOutcome {
  /** Buckets InfluxDB holds. */
  archived: number
  /** Buckets taken from InfluxDB into releases.db. */
  restored: number
  /** Buckets InfluxDB lacked, queued to be written. */
  queued: number
}

export async function restoreReleases (http: InfluxHttp, releases: ReleaseStore, log?: Log): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { archived: 0, restored: 0, queued: 0 }
  const span = union(await archivedSpan(http), releases.releasedSpan())
  if (span === undefined) return outcome
  for (let from = span.from; from <= span.to; from += WINDOW_MS) {
    const to = Math.min(from + WINDOW_MS, span.to + 1)
    const remote = await markersIn(http, from, to, log)
    const local = new Map(releases.releasedBuckets(from, to).map((bucket) => [keyOf(bucket), bucket]))
    const lacking = [...local.values()].filter((bucket) => bucket.archived && !remote.has(keyOf(bucket)))
    releases.queueArchive(lacking)
    // InfluxDB's copy also wins over one this file has not archived yet (made again elsewhere first).
    const wanted = [...remote.values()].filter((marker) => local.get(keyOf(marker))?.archived !== true)
    for (const group of groupBySeries(wanted)) {
      const buckets = await fetchCells(http, group.sort((a, b) => a.time - b.time), log)
      releases.restore(buckets)
      outcome.restored += buckets.length
    }
    outcome.archived += remote.size
    outcome.queued += lacking.length
  }
  return outcome
}

/** The first and last marker's time (a selector returns its point's time). */
async function archivedSpan (http: InfluxHttp): Promise<{ from: number, to: number } | undefined> {
  const [first, last] = await http.query(releasedSpanQuery)
  const from = rowsOf(whole(first))[0]?.time
  const to = rowsOf(whole(last))[0]?.time
  return typeof from === 'number' && typeof to === 'number' ? { from, to } : undefined
}

/** The markers of the buckets that start in [from, to), by bucket key. */
async function markersIn (http: InfluxHttp, from: number, to: number, log: Log | undefined): Promise<Map<string, Marker>> {
  const markers = new Map<string, Marker>()
  const [result] = await http.query(releasedBucketsQuery(from, to))
  for (const raw of rowsOf(whole(result))) {
    const row = markerRow.safeParse(raw)
    if (!row.success) {
      log?.error({ row: raw }, 'InfluxDB holds a released-bucket marker that is not one; left out')
      continue
    }
    const marker = { series: decodeTag(row.data.series), size: decodeTag(row.data.size), time: row.data.time, releasedAt: row.data.released_at, cells: row.data.cells }
    markers.set(keyOf(marker), marker)
  }
  return markers
}

/** The cells of some buckets of one series and size, as they will be stored. */
async function fetchCells (http: InfluxHttp, markers: readonly Marker[], log: Log | undefined): Promise<StoredBucket[]> {
  const first = markers[0]!
  const [result] = await http.query(releaseCellsQuery(first.series, first.size, first.time, markers.at(-1)!.time + 1))
  const buckets = new Map<number, StoredBucket>(markers.map(({ series, size, time, releasedAt }) => [time, { series, size, time, releasedAt, cells: [] }]))
  for (const raw of rowsOf(whole(result))) {
    const row = cellRow.safeParse(raw)
    const bucket = row.success ? buckets.get(row.data.time) : undefined
    if (!row.success || bucket === undefined) continue // a bucket this file has archived already, or not a cell at all
    if (!isReleaseOf(row.data.body, row.data.time)) {
      log?.error({ series: first.series, size: first.size, time: row.data.time, cohort: row.data.cohort }, 'InfluxDB holds a release body that is not one; that cell is left out')
      continue
    }
    bucket.cells.push({ per: decodeTag(row.data.per), cohort: decodeTag(row.data.cohort), body: row.data.body })
  }
  for (const marker of markers) {
    const found = buckets.get(marker.time)!.cells.length
    // Kept released even so: recomputing it could publish the same bucket twice, differently.
    if (found !== marker.cells) log?.warn({ ...marker, found }, 'InfluxDB holds fewer cells of a released bucket than its marker counts; restored what is there')
  }
  return [...buckets.values()]
}

function isReleaseOf (body: string, time: number): boolean {
  try {
    const parsed = releaseBody.safeParse(JSON.parse(body))
    return parsed.success && parsed.data.time === time
  } catch {
    return false
  }
}

/**
 * A statement's result, refused when InfluxDB cut it short: a 1.x server with `max-row-limit`
 * set answers `"partial": true` with the first rows only (docs.influxdata.com/influxdb/v1.6/
 * administration/config, [http] max-row-limit), and a restore that missed buckets would let
 * them be released again.
 */
function whole<T extends object | undefined> (result: T): T {
  const partial = (value: unknown): boolean => (value as { partial?: unknown } | undefined)?.partial === true
  const series = (result as { series?: unknown[] } | undefined)?.series ?? []
  if (partial(result) || series.some(partial)) throw new Error('InfluxDB returned part of the releases only (max-row-limit); raise it or set it to 0')
  return result
}

function union (a: { from: number, to: number } | undefined, b: { from: number, to: number } | undefined): { from: number, to: number } | undefined {
  if (a === undefined || b === undefined) return a ?? b
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) }
}

function groupBySeries (markers: readonly Marker[]): Marker[][] {
  const groups = new Map<string, Marker[]>()
  for (const marker of markers) {
    const key = `${marker.series}\u0000${marker.size}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [marker])
    else group.push(marker)
  }
  return [...groups.values()]
}

function keyOf (bucket: BucketKey): string {
  return `${bucket.series}\u0000${bucket.size}\u0000${bucket.time}`
}
