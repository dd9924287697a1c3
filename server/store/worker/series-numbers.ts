import type { Reading } from '../reading-store.ts'
import type { ColumnBatch } from './protocol.ts'

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
