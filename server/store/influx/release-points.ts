import { Point } from '@influxdata/influxdb-client'
import { encodeTag, identifier, tagEquals } from './escape.ts'
import { type StoredBucket, isShownBody } from '../release-store.ts'

// How releases are laid out in InfluxDB (docs/privacy.md, "Where releases are stored"):
//
// - `tsudoi_release`: one point per cell. Tags series, size, per (absent for no
//   normalisation), cohort; fields `body` (the release JSON, byte for byte what /api/compare
//   serves), `shown` (false for a suppressed cell), `released_at` (ms); time = bucket start.
// - `tsudoi_released_bucket`: one point per released bucket. Tags series, size; fields
//   `released_at` and `cells` (how many `tsudoi_release` points it has); time = bucket start.
//   It is the index a restore reads first: a few bytes per bucket instead of every body.
//
// A bucket's points all carry the bucket's start as their time and go out in one write
// request, the marker last: on 1.x one timestamp means one shard, and a shard writes a
// request's points to its WAL together. Tag values go through encodeTag like the readings'.

export const RELEASE_MEASUREMENT = 'tsudoi_release'
export const RELEASED_BUCKET_MEASUREMENT = 'tsudoi_released_bucket'

/** A bucket's points: every cell, then its marker. */
export function bucketPoints (bucket: StoredBucket): Point[] {
  const { series, size, time, releasedAt, cells } = bucket
  const points = cells.map(({ per, cohort, body }) => new Point(RELEASE_MEASUREMENT)
    .tag('series', encodeTag(series)).tag('size', encodeTag(size)).tag('per', encodeTag(per)).tag('cohort', encodeTag(cohort))
    .stringField('body', body).booleanField('shown', isShownBody(body)).intField('released_at', releasedAt)
    .timestamp(time))
  points.push(new Point(RELEASED_BUCKET_MEASUREMENT)
    .tag('series', encodeTag(series)).tag('size', encodeTag(size))
    .intField('released_at', releasedAt).intField('cells', cells.length)
    .timestamp(time))
  return points
}

/** The first and the last released bucket's time (two statements; a selector returns its point's time). */
export const releasedSpanQuery =
  `SELECT first("released_at") FROM ${identifier(RELEASED_BUCKET_MEASUREMENT)}; SELECT last("released_at") FROM ${identifier(RELEASED_BUCKET_MEASUREMENT)}`

/** The markers of the buckets that start in [from, to). */
export function releasedBucketsQuery (from: number, to: number): string {
  return `SELECT "released_at", "cells", "series", "size" FROM ${identifier(RELEASED_BUCKET_MEASUREMENT)} ` +
    `WHERE time >= ${from}ms AND time < ${to}ms`
}

/** Every cell of one series and size whose bucket starts in [from, to). */
export function releaseCellsQuery (series: string, size: string, from: number, to: number): string {
  return `SELECT "body", "per", "cohort" FROM ${identifier(RELEASE_MEASUREMENT)} ` +
    `WHERE ${tagEquals('series', series)} AND ${tagEquals('size', size)} AND time >= ${from}ms AND time < ${to}ms`
}
