import { createHmac } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import type { DueDelivery } from '../outbox.ts'
import { BlockedAddressError, isPrivateAddress, publicOnlyLookup } from './address-policy.ts'
import { type Sender, SendError } from './sender.ts'

const TIMEOUT_MS = 10_000

/**
 * `x-tsudoi-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the rule's key.
 * The timestamp (Unix seconds, `x-tsudoi-timestamp`) is part of what is signed, so a
 * receiver that refuses old timestamps refuses a replayed request (docs/alerts.md).
 */
export function signature (secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/**
 * POSTs the notification as JSON. 2xx is delivered; anything else (another status, a refused
 * or slow connection, a non-public address) is a failed attempt with its reason. Redirects are
 * not followed: a 3xx to an internal address would walk around the address check.
 */
export function webhookSender (options: { allowPrivate: boolean, clock: () => number }): Sender {
  return async (delivery: DueDelivery): Promise<void> => {
    if (delivery.channel.type !== 'webhook') throw new SendError('not a webhook channel')
    const url = new URL(delivery.channel.url)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) throw new SendError(new BlockedAddressError(host).message)
    const body = JSON.stringify(delivery.notification)
    const timestamp = String(Math.floor(options.clock() / 1000))
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'tsudoi-alerts',
      'x-tsudoi-timestamp': timestamp,
      'x-tsudoi-signature': signature(delivery.secret, timestamp, body),
      'x-tsudoi-delivery': delivery.id
    }
    const status = await post(url, headers, body, options.allowPrivate)
    if (status < 200 || status > 299) throw new SendError(`HTTP ${status}`)
  }
}

function post (url: URL, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<number> {
  const request = url.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: TIMEOUT_MS, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) }, (res) => {
      res.resume() // the answer's body is not read, only drained
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new SendError(`no answer within ${TIMEOUT_MS / 1000} s`)))
    req.on('error', (error) => reject(error instanceof SendError ? error : new SendError(error.message)))
    req.end(body)
  })
}
