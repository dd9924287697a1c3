import { Histogram } from './histogram.ts'
import { influxql } from './influx.ts'

// publish → queryable: how long after a device sent a reading (its `ts`, stamped at send time)
// the reading can be read back. Two ways to watch:
// - the hub's live stream (/api/stream), which emits a reading once it is committed to the
//   embedded store — exact to the millisecond;
// - polling InfluxDB for one device's newest points — the reading became visible between the
//   previous poll and this one; the midpoint is recorded (±half a poll interval).

export interface QueryableProbe {
  start (): void
  /** Stops recording and returns what was seen since start(). */
  stop (): Histogram
  close (): void
}

export class StreamProbe implements QueryableProbe {
  private histogram = new Histogram()
  private recording = false
  private readonly abort = new AbortController()

  constructor (httpUrl: string, accessKey: string) {
    void this.listen(httpUrl, accessKey)
  }

  private async listen (httpUrl: string, accessKey: string): Promise<void> {
    try {
      const response = await fetch(`${httpUrl}/api/stream`, { headers: { authorization: `Bearer ${accessKey}` }, signal: this.abort.signal })
      const decoder = new TextDecoder()
      let pending = ''
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const now = Date.now()
        pending += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const event = pending.slice(0, end)
          pending = pending.slice(end + 2)
          if (!this.recording || !event.startsWith('event: reading\n')) continue
          const data = /^data: (.*)$/m.exec(event)?.[1]
          if (data !== undefined) this.histogram.record(now - (JSON.parse(data) as { time: number }).time)
        }
      }
    } catch { /* aborted, or the hub went away */ }
  }

  start (): void { this.histogram = new Histogram(); this.recording = true }
  stop (): Histogram { this.recording = false; return this.histogram }
  close (): void { this.abort.abort() }
}

export class InfluxPollProbe implements QueryableProbe {
  private histogram = new Histogram()
  private timer: NodeJS.Timeout | undefined
  private seen = new Set<number>()
  private cursor = 0
  private previousPoll = 0
  private newest = 0
  private polling = false

  constructor (private readonly url: string, private readonly db: string, private readonly device: string, private readonly everyMs = 50) {}

  start (): void {
    this.histogram = new Histogram()
    this.seen.clear()
    this.newest = 0
    this.cursor = Date.now()
    this.previousPoll = Date.now()
    this.timer = setInterval(() => { void this.poll() }, this.everyMs)
  }

  private async poll (): Promise<void> {
    if (this.polling) return
    this.polling = true
    const sentAt = Date.now()
    try {
      const results = await influxql(this.url,
        `SELECT "value" FROM "reading" WHERE "device" = '${this.device}' AND "metric" = 'temperature' AND time >= ${this.cursor}ms`, this.db)
      const answeredAt = Date.now()
      // Not visible to the previous poll (sent at previousPoll), visible to this one.
      const visibleAt = (this.previousPoll + answeredAt) / 2
      for (const [time] of results[0]?.series?.[0]?.values ?? []) {
        const t = Number(time)
        if (this.seen.has(t)) continue
        this.seen.add(t)
        this.newest = Math.max(this.newest, t)
        this.histogram.record(Math.max(0, visibleAt - t))
      }
      this.previousPoll = sentAt
      // Keep looking a little back: a device's readings may become visible out of order.
      this.cursor = Math.max(this.cursor, this.newest - 3000)
    } catch { /* influxd busy: the next poll tries again */ } finally {
      this.polling = false
    }
  }

  stop (): Histogram {
    clearInterval(this.timer)
    return this.histogram
  }

  close (): void { clearInterval(this.timer) }
}
