import type { DueDelivery } from '../outbox.ts'

/** One channel: sends a delivery, resolves once the other side accepted it, rejects with why not. */
export type Sender = (delivery: DueDelivery) => Promise<void>

/** A failed attempt whose message is safe to show the member and the organizer (no secret in it). */
export class SendError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'SendError'
  }
}
