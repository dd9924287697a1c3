// Embedded reading store layout. Raw rows stay compact (a series id instead of four tags).
// Two rollups — per minute and per hour — are kept in the same transaction as the raw rows,
// keyed (metric, member, bucket, device): the comparison query ("each member's hourly mean
// of one metric over 7 days") then reads one contiguous range of the hour rollup and groups
// it in index order, with no sort (README, "Architecture": a plain raw table took ~750 ms for
// that query over 2M readings).
//
// `inc` is a counter's increase since the series' previous reading, worked out at write
// time in arrival order (a reset — a value lower than the previous one — counts as a
// restart from zero, as Prometheus' increase() does). Gauges keep it 0.
const rollupTable = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  metric TEXT NOT NULL, member TEXT NOT NULL, bucket INTEGER NOT NULL, device TEXT NOT NULL, sector TEXT NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, inc REAL NOT NULL,
  PRIMARY KEY (metric, member, bucket, device)
) WITHOUT ROWID;`

export const readingSchema = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  member TEXT NOT NULL,
  device TEXT NOT NULL,
  sector TEXT NOT NULL,
  metric TEXT NOT NULL,
  UNIQUE (member, device, metric)
);
CREATE TABLE IF NOT EXISTS reading (
  series INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value REAL NOT NULL,
  inc REAL NOT NULL,
  PRIMARY KEY (series, time)
) WITHOUT ROWID;
${rollupTable('rollup_1m')}
${rollupTable('rollup_1h')}
`

export const rollupTables = [
  { table: 'rollup_1m', size: 60_000 },
  { table: 'rollup_1h', size: 3_600_000 }
] as const

/** Raw rows shaped like a rollup (count 1, sum = value), for buckets no rollup divides. */
const RAW_AS_ROLLUP = `(SELECT s.metric, s.member, r.time AS bucket, s.device, s.sector,
  1 AS count, r.value AS sum, r.value AS min, r.value AS max, r.inc
  FROM series s JOIN reading r ON r.series = s.id)`

export interface Source { table: string, granularity: number }

/** The coarsest source whose granularity divides the bucket: a rollup table, or the raw rows. */
export function sourceFor (bucketMs: number): Source {
  for (const { table, size } of [...rollupTables].reverse()) {
    if (bucketMs % size === 0) return { table, granularity: size }
  }
  return { table: RAW_AS_ROLLUP, granularity: 0 }
}
