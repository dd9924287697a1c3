// Embedded reading store layout. Raw rows stay compact (a series id instead of four tags),
// and two rollups — per minute and per hour — are kept in the same transaction as the raw
// rows, so a 7-day comparison reads ~170 rows per series instead of ~3,400 (README,
// "Architecture": a plain table took ~750 ms for that query over 2M readings).
//
// `inc` is a counter's increase since the series' previous reading, worked out at write
// time in arrival order (a reset — a value lower than the previous one — counts as a
// restart from zero, as Prometheus' increase() does). Gauges keep it 0.
export const readingSchema = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  member TEXT NOT NULL,
  device TEXT NOT NULL,
  sector TEXT NOT NULL,
  metric TEXT NOT NULL,
  UNIQUE (member, device, metric)
);
CREATE INDEX IF NOT EXISTS series_by_metric ON series (metric, sector);
CREATE TABLE IF NOT EXISTS reading (
  series INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value REAL NOT NULL,
  inc REAL NOT NULL,
  PRIMARY KEY (series, time)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_1m (
  series INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, inc REAL NOT NULL,
  PRIMARY KEY (series, bucket)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_1h (
  series INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, inc REAL NOT NULL,
  PRIMARY KEY (series, bucket)
) WITHOUT ROWID;
`

export const rollupTables = [
  { table: 'rollup_1m', size: 60_000 },
  { table: 'rollup_1h', size: 3_600_000 }
] as const

/**
 * The coarsest source whose granularity divides the bucket: a rollup table, or the raw
 * rows shaped like one (count 1, sum = value).
 */
export function sourceFor (bucketMs: number): string {
  for (const { table, size } of [...rollupTables].reverse()) {
    if (bucketMs % size === 0) return table
  }
  return '(SELECT series, time AS bucket, 1 AS count, value AS sum, value AS min, value AS max, inc FROM reading)'
}
