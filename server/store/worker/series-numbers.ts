import type { Reading } from '../../domain/reading.ts'

/** What names a series (the SQLite store's series key; the queue's rows hold the same fields). */
export type SeriesKey = Omit<Reading, 'time' | 'value'>

/**
 * A batch of readings as columns. Reading i is `values[i]` at `times[i]` of the series the
 * main thread numbered `series[i]`; `newSeries` names the numbers this batch uses for the
 * first time. The arrays' buffers are transferred, not copied: structured-cloning one object
 * with four strings per reading was the largest cost of handing a commit to a worker (bench/).
 */
export interface ColumnBatch {
  newSeries: Array<{ index: number, key: SeriesKey }>
  series: Int32Array
  times: Float64Array
  values: Float64Array
}

/**
 * The main thread's half of the column encoding: a small number per series (device, metric),
 * handed out on first sight and named to the writer once, in the batch that first uses it.
 */
export class SeriesNumbers {
  // Per device, its member and its metrics' numbers; a device id that turns up under another
  // member (deleted and created again) starts afresh, as the writer's series key would.
  private readonly byDevice = new Map<string, { member: string, metrics: Map<string, number> }>()
  private next = 0

  encode (readings: readonly Reading[]): ColumnBatch {
    const batch: ColumnBatch = {
      newSeries: [],
      series: new Int32Array(readings.length),
      times: new Float64Array(readings.length),
      values: new Float64Array(readings.length)
    }
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i]!
      let device = this.byDevice.get(reading.device)
      if (device === undefined || device.member !== reading.member) {
        this.byDevice.set(reading.device, device = { member: reading.member, metrics: new Map() })
      }
      const metrics = device.metrics
      let index = metrics.get(reading.metric)
      if (index === undefined) {
        index = this.next++
        metrics.set(reading.metric, index)
        const { member, device, sector, metric } = reading
        batch.newSeries.push({ index, key: { member, device, sector, metric } })
      }
      batch.series[i] = index
      batch.times[i] = reading.time
      batch.values[i] = reading.value
    }
    return batch
  }
}

/** The worker's half: what each number names, learnt from the batches that introduce them. */
export class SeriesNames {
  private readonly keys: SeriesKey[] = []

  learn (batch: ColumnBatch): void {
    for (const { index, key } of batch.newSeries) this.keys[index] = key
  }

  key (index: number): SeriesKey {
    const key = this.keys[index]
    if (key === undefined) throw new Error(`series number ${index} was never named`)
    return key
  }

  /** The batch as readings (the durable queue stores them as such). */
  readings (batch: ColumnBatch): Reading[] {
    this.learn(batch)
    const out = new Array<Reading>(batch.series.length)
    for (let i = 0; i < batch.series.length; i++) {
      const { member, device, sector, metric } = this.key(batch.series[i]!)
      out[i] = { time: batch.times[i]!, member, device, sector, metric, value: batch.values[i]! }
    }
    return out
  }
}

/** The buffers a batch moves to the worker with (postMessage's transfer list). */
export function transferOf (batch: ColumnBatch): ArrayBuffer[] {
  return [batch.series.buffer, batch.times.buffer, batch.values.buffer] as ArrayBuffer[]
}
