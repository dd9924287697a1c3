import type { Channel } from '../api-schemas/alerts.ts'
import type { Log } from '../log.ts'
import type { Sender } from './channels/sender.ts'
import type { DueDelivery, Outbox } from './outbox.ts'

export interface DeliveryOptions {
  outbox: Outbox
  senders: Partial<Record<Channel['type'], Sender>>
  /** Why a channel type has no sender (its settings are missing). */
  missing: Partial<Record<Channel['type'], string>>
  clock: () => number
  log: Log
  /** The wait before the first retry; each further one doubles, up to an hour (TSUDOI_ALERT_RETRY). */
  retryBaseMs: number
  /** Attempts before a delivery goes to the dead letters (TSUDOI_ALERT_MAX_ATTEMPTS). */
  maxAttempts: number
  /** Deliveries in flight at once per channel type (default 4). */
  concurrency?: number
  pollMs?: number
  /** Told the outcome of every attempt (the hub's metrics). */
  attempted?: (channel: Channel['type'], outcome: 'sent' | 'retry' | 'dead') => void
}

const MAX_BACKOFF_MS = 3_600_000

/** When the attempt after `attempts` failed ones is due: base · 2^(attempts−1), at most an hour. */
export const retryDelay = (baseMs: number, attempts: number): number => Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1))

/**
 * Sends what the outbox owes. A row is taken when due, sent by its channel, and marked sent
 * or failed (retried with exponential back-off, dead after maxAttempts). A crash while
 * sending leaves the row pending, so it is sent again after the restart: at least once. Each
 * channel type has its own few slots, so slow webhooks never hold back a mail or a LINE push.
 */
export class DeliveryWorker {
  private readonly inflight = new Map<string, Promise<void>>()
  private readonly busy = new Map<Channel['type'], number>()
  private timer: NodeJS.Timeout | undefined
  private kicked = false
  private stopped = true

  constructor (private readonly o: DeliveryOptions) {}

  start (): void {
    this.stopped = false
    this.timer = setInterval(() => this.pump(), this.o.pollMs ?? 1000)
    this.timer.unref()
    this.kick()
  }

  /** Looks for due rows soon (after a new event, or a finished send). */
  kick (): void {
    if (this.kicked || this.stopped) return
    this.kicked = true
    setImmediate(() => {
      this.kicked = false
      this.pump()
    })
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await Promise.allSettled([...this.inflight.values()])
  }

  private pump (): void {
    if (this.stopped) return
    const perType = this.o.concurrency ?? 4
    let due: DueDelivery[]
    try {
      due = this.o.outbox.due(this.o.clock(), perType * 4 * 2, new Set(this.inflight.keys()))
    } catch (error) {
      this.o.log.error({ err: error }, 'could not read the alert outbox')
      return
    }
    for (const delivery of due) {
      // A few in flight per channel type: webhooks that answer in 10 s hold webhooks only.
      const type = delivery.channel.type
      if ((this.busy.get(type) ?? 0) >= perType) continue
      this.busy.set(type, (this.busy.get(type) ?? 0) + 1)
      const sending = this.attempt(delivery).finally(() => {
        this.inflight.delete(delivery.id)
        this.busy.set(type, (this.busy.get(type) ?? 1) - 1)
        this.kick()
      })
      this.inflight.set(delivery.id, sending)
    }
  }

  private async attempt (delivery: DueDelivery): Promise<void> {
    const sender = this.o.senders[delivery.channel.type]
    let failure: string | undefined
    try {
      if (sender === undefined) failure = this.o.missing[delivery.channel.type] ?? `no ${delivery.channel.type} channel on this hub`
      else await sender(delivery)
    } catch (error) {
      failure = (error as Error).message
    }
    const now = this.o.clock()
    try {
      if (failure === undefined) {
        this.o.outbox.sent(delivery.id, now)
        this.o.attempted?.(delivery.channel.type, 'sent')
        return
      }
      const attempts = delivery.attempts + 1
      const retryAt = attempts >= this.o.maxAttempts ? undefined : now + retryDelay(this.o.retryBaseMs, attempts)
      this.o.outbox.failed(delivery.id, failure, now, retryAt)
      this.o.attempted?.(delivery.channel.type, retryAt === undefined ? 'dead' : 'retry')
      this.o.log[retryAt === undefined ? 'warn' : 'info']({ delivery: delivery.id, channel: delivery.channel.type, attempts, error: failure },
        retryAt === undefined ? 'alert delivery gave up: dead letter' : 'alert delivery failed; will retry')
    } catch (error) {
      // The database refused the update (closing, disk full): the row stays pending and is sent again.
      this.o.log.error({ err: error, delivery: delivery.id }, 'could not record an alert delivery')
    }
  }
}
