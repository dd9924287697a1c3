import type { CompareResult } from './compare-service.ts'
import { isPending } from './compare-bucket.ts'
import { QUANTILE_METHOD } from './quantile.ts'
import { isSuppressedRelease } from '../domain/release.ts'
import { type CsvCell, toCsv } from '../domain/csv.ts'

// The open-data export: the community's releases (docs/privacy.md), one row per released
// bucket with every column present (null where a figure is withheld), and what produced
// them — k, p, the quantile method — so a reader can tell what a gap means. Buckets not
// released yet are left out: open data is what has been published.

export interface OpenDataRow {
  time: number
  /** The member band's lower edge ("at least"), or null when suppressed. */
  members: number | null
  membersBand: string | null
  suppressed: boolean
  p10: number | null
  p25: number | null
  p50: number | null
  p75: number | null
  p90: number | null
  mean: number | null
  meanLow: number | null
  meanHigh: number | null
}

export interface OpenData {
  k: number
  p: number
  /** Quantiles by this method, of the perturbed member values. */
  method: typeof QUANTILE_METHOD
  metric: string
  unit: string
  sector: string | null
  bucket: number
  timeZone: string
  rows: OpenDataRow[]
}

const WITHHELD = { members: null, membersBand: null, p10: null, p25: null, p50: null, p75: null, p90: null, mean: null, meanLow: null, meanHigh: null }

/** Rows of a comparison made without a caller (there is no "me" in open data). */
export function toOpenData (result: Omit<CompareResult, 'me'>): OpenData {
  const rows = result.buckets.flatMap((bucket): OpenDataRow[] => {
    if (isPending(bucket)) return []
    if (isSuppressedRelease(bucket)) return [{ time: bucket.time, suppressed: true, ...WITHHELD }]
    return [{
      time: bucket.time,
      members: bucket.members,
      membersBand: bucket.membersBand,
      suppressed: false,
      p10: bucket.p10 ?? null,
      p25: bucket.p25 ?? null,
      p50: bucket.p50 ?? null,
      p75: bucket.p75 ?? null,
      p90: bucket.p90 ?? null,
      mean: bucket.mean,
      meanLow: bucket.meanInterval[0],
      meanHigh: bucket.meanInterval[1]
    }]
  })
  return {
    k: result.k, p: result.p, method: QUANTILE_METHOD, metric: result.metric, unit: result.unit, sector: result.sector,
    bucket: result.bucket, timeZone: result.timeZone, rows
  }
}

const COLUMNS = ['time', 'metric', 'unit', 'sector', 'bucket_ms', 'time_zone', 'k', 'p', 'quantile_method', 'members', 'suppressed',
  'p10', 'p25', 'p50', 'p75', 'p90', 'mean', 'mean_low', 'mean_high'] as const

/**
 * RFC 4180 CSV: a header row, CRLF line ends, one row per bucket. Time is ISO 8601 UTC for
 * spreadsheets; k, p and the method repeat on each row so a row keeps its meaning when cut
 * out. `members` is the band ("5–9"). An absent figure is an empty cell, never 0.
 */
export function openDataCsv (data: OpenData): string {
  return toCsv(COLUMNS, data.rows.map((row) => {
    const cells: Record<typeof COLUMNS[number], CsvCell> = {
      time: new Date(row.time).toISOString(),
      metric: data.metric,
      unit: data.unit,
      sector: data.sector,
      bucket_ms: data.bucket,
      time_zone: data.timeZone,
      k: data.k,
      p: data.p,
      quantile_method: data.method,
      members: row.membersBand,
      suppressed: row.suppressed,
      p10: row.p10,
      p25: row.p25,
      p50: row.p50,
      p75: row.p75,
      p90: row.p90,
      mean: row.mean,
      mean_low: row.meanLow,
      mean_high: row.meanHigh
    }
    return COLUMNS.map((column) => cells[column])
  }))
}
