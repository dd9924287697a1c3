import { isSuppressed } from './bucket-stats.ts'
import type { CompareResult } from './compare-service.ts'
import { QUANTILE_METHOD } from './quantile.ts'

// The open-data export: the same anonymous buckets as the API, one row per bucket with
// every column present (null where the k rule withholds a figure), and the k and quantile
// method that produced them, so a reader can tell what a gap means and reproduce a value.

export interface OpenDataRow {
  time: number
  members: number
  suppressed: boolean
  p10: number | null
  p25: number | null
  p50: number | null
  p75: number | null
  p90: number | null
  mean: number | null
}

export interface OpenData {
  k: number
  method: typeof QUANTILE_METHOD
  metric: string
  unit: string
  sector: string | null
  bucket: number
  rows: OpenDataRow[]
}

/** Rows of a comparison made without a caller (there is no "me" in open data). */
export function toOpenData (result: Omit<CompareResult, 'me'>): OpenData {
  const rows = result.buckets.map((bucket): OpenDataRow => isSuppressed(bucket)
    ? { time: bucket.time, members: bucket.members, suppressed: true, p10: null, p25: null, p50: null, p75: null, p90: null, mean: null }
    : {
        time: bucket.time,
        members: bucket.members,
        suppressed: false,
        p10: bucket.p10 ?? null,
        p25: bucket.p25 ?? null,
        p50: bucket.p50,
        p75: bucket.p75 ?? null,
        p90: bucket.p90 ?? null,
        mean: bucket.mean
      })
  return { k: result.k, method: QUANTILE_METHOD, metric: result.metric, unit: result.unit, sector: result.sector, bucket: result.bucket, rows }
}

const COLUMNS = ['time', 'metric', 'unit', 'sector', 'bucket_ms', 'k', 'quantile_method', 'members', 'suppressed',
  'p10', 'p25', 'p50', 'p75', 'p90', 'mean'] as const

/**
 * RFC 4180 CSV: a header row, CRLF line ends, one row per bucket. Time is ISO 8601 UTC for
 * spreadsheets; k and the method repeat on each row so a row keeps its meaning when cut out.
 * An absent figure (suppressed, or too few members for it) is an empty cell, never 0.
 */
export function toCsv (data: OpenData): string {
  const lines = [COLUMNS.join(',')]
  for (const row of data.rows) {
    const cells: Record<typeof COLUMNS[number], string | number | boolean | null> = {
      time: new Date(row.time).toISOString(),
      metric: data.metric,
      unit: data.unit,
      sector: data.sector,
      bucket_ms: data.bucket,
      k: data.k,
      quantile_method: data.method,
      members: row.members,
      suppressed: row.suppressed,
      p10: row.p10,
      p25: row.p25,
      p50: row.p50,
      p75: row.p75,
      p90: row.p90,
      mean: row.mean
    }
    lines.push(COLUMNS.map((column) => csvCell(cells[column])).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

function csvCell (value: string | number | boolean | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
