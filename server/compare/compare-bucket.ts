import type { Release } from '../domain/release.ts'

// A bucket of a comparison as the service answers it: a release, or not released yet. Its own
// file so that open-data.ts can tell them apart without importing compare-service.ts, which
// imports open-data.ts (an import cycle; .dependency-cruiser.cjs, no-runtime-cycle).

/** A bucket not released yet: still open, or waiting out the grace period. */
export interface PendingBucket { time: number, pending: true }

export type CompareBucket = Release | PendingBucket

export const isPending = (bucket: CompareBucket): bucket is PendingBucket => 'pending' in bucket
