import type { DueDelivery } from '../outbox.ts'
import { bodyText } from './message-text.ts'
import { type Sender, SendError } from './sender.ts'

const TIMEOUT_MS = 10_000
/** A text message holds at most 5,000 characters (Messaging API reference, "Text message"). */
const MAX_TEXT = 5000

/**
 * LINE Messaging API push (developers.line.biz/en/reference/messaging-api/#send-push-message):
 * `POST {base}/v2/bot/message/push`, `Authorization: Bearer <channel access token>`, JSON
 * `{to, messages: [{type: "text", text}]}`. `X-Line-Retry-Key` (a UUID, here the delivery's id)
 * makes a retry of an accepted request answer 409 instead of sending twice: taken as delivered.
 */
export function lineSender (options: { base: string, token: string, timeZone: string }): Sender {
  const endpoint = new URL('/v2/bot/message/push', options.base)
  return async (delivery: DueDelivery): Promise<void> => {
    if (delivery.channel.type !== 'line') throw new SendError('not a LINE channel')
    const text = bodyText(delivery.notification, options.timeZone).slice(0, MAX_TEXT)
    let response: Response
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}`, 'x-line-retry-key': delivery.id },
        body: JSON.stringify({ to: delivery.channel.to, messages: [{ type: 'text', text }] }),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS)
      })
    } catch (error) {
      throw new SendError(`LINE: ${(error as Error).message}`)
    }
    await response.body?.cancel()
    if (response.ok || (response.status === 409 && delivery.attempts > 0)) return
    throw new SendError(`LINE: HTTP ${response.status}`)
  }
}
