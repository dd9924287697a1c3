import { EventEmitter } from 'node:events'
import type { Reading } from './store/reading-store.ts'
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
 * A typed event bus whose listeners are isolated: one listener that throws is logged and
 * does not stop the others, nor the ingest path that emitted the event (as Zigbee2MQTT's eventBus).
 */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor (private readonly log: Log) {
    this.emitter.setMaxListeners(0)
  }

  on<E extends keyof HubEvents> (event: E, listener: (...args: HubEvents[E]) => void): () => void {
    const safe = (...args: HubEvents[E]): void => {
      try {
        listener(...args)
      } catch (error) {
        this.log.error({ err: error, event }, 'event listener failed')
      }
    }
    this.emitter.on(event, safe as (...args: unknown[]) => void)
    return () => this.emitter.off(event, safe as (...args: unknown[]) => void)
  }

  emit<E extends keyof HubEvents> (event: E, ...args: HubEvents[E]): void {
    this.emitter.emit(event, ...args)
  }
}
