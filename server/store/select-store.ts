import { join } from 'node:path'
import type { Config } from '../config.ts'
import type { Log } from '../log.ts'
import { InfluxReadingStore, influxOptionsFrom } from './influx/store.ts'
import type { RollupStatus } from './influx/rollup.ts'
import type { QueueStatus } from './queue/queue-status.ts'
import { QueuedReadingStore } from './queue/queued-store.ts'
import type { ReadingStore } from './reading-store.ts'
import { ThreadedSqliteStore } from './sqlite/threaded-store.ts'

export interface SelectedStore {
  store: ReadingStore
  /** Present when readings pass through the durable queue. */
  queue?: {
    status: () => QueueStatus
    /** Resolves when the queue has room again (or at once when it has room now). */
    room: () => Promise<void>
    drained: () => Promise<void>
  }
  /** InfluxDB mode: how far the hourly rollup has caught up (for /metrics). */
  rollups?: () => RollupStatus
}

/** The reading store the configuration asks for: InfluxDB behind the durable queue when INFLUX_URL is set, else embedded. */
export function selectReadingStore (config: Config, log: Log): SelectedStore {
  if (config.INFLUX_URL === undefined) {
    return { store: new ThreadedSqliteStore({ file: join(config.TSUDOI_DATA_DIR, 'readings.db'), synchronous: config.TSUDOI_SYNC }) }
  }
  let waiters: Array<() => void> = []
  const store = new QueuedReadingStore({
    dir: config.TSUDOI_DATA_DIR,
    influx: new InfluxReadingStore({ ...influxOptionsFrom(config), log }),
    maxBytes: config.TSUDOI_QUEUE_MAX_BYTES,
    synchronous: config.TSUDOI_SYNC,
    log,
    onFullChange: (full) => {
      if (full) return
      const ready = waiters
      waiters = []
      for (const resolve of ready) resolve()
    }
  })
  return {
    store,
    queue: {
      status: () => ({ depth: store.depth(), bytes: store.bytes(), oldestAgeMs: store.oldestAgeMs(), full: store.isFull() }),
      room: () => store.isFull() ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(),
      drained: () => store.drained()
    },
    rollups: () => store.rollups.status()
  }
}
