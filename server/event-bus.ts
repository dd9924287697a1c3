import { EventEmitter } from 'node:events'
import type { Reading } from './domain/reading.ts'
import type { Log } from './log.ts'

export interface HubEvents {
  /** Readings committed to the store (or the durable queue). */
  readings: [readings: readonly Reading[]]
  /** A device connected, disconnected or announced its status. */
  deviceStatus: [device: { id: string, member: string, online: boolean, lastSeen: number | null }]
  /** A device's credentials stopped being valid (deleted, token rotated, member deleted): drop its connections and what was learned about it. */
  deviceRevoked: [deviceId: string]
  /** A payload was refused; the device has been told why. */
  refusal: [refusal: DeviceRefusal]
}

export interface DeviceRefusal { device: string, member: string, code: string, message: string, topic: string, time: number }

/**
 * A typed event bus whose listeners are isolated: one listener that throws — or, being async,
 * rejects — is logged and does not stop the others, nor the ingest path that emitted the event
 * (as Zigbee2MQTT's eventBus). A rejection left unhandled would end the process (Node's
 * default, --unhandled-rejections=throw; issue 12, item 10).
 */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor (private readonly log: Log) {
    this.emitter.setMaxListeners(0)
  }

  on<E extends keyof HubEvents> (event: E, listener: (...args: HubEvents[E]) => void | Promise<void>): () => void {
    const failed = (error: unknown): void => { this.log.error({ err: error, event }, 'event listener failed') }
    const safe = (...args: HubEvents[E]): void => {
      try {
        const result = listener(...args)
        if (isThenable(result)) result.then(undefined, failed)
      } catch (error) {
        failed(error)
      }
    }
    this.emitter.on(event, safe as (...args: unknown[]) => void)
    return () => this.emitter.off(event, safe as (...args: unknown[]) => void)
  }

  emit<E extends keyof HubEvents> (event: E, ...args: HubEvents[E]): void {
    this.emitter.emit(event, ...args)
  }
}

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}
