import type { FastifyRequest } from 'fastify'
import { reachableHost } from '../network-address.ts'

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i

/**
 * The address an attendee's phone should open for this hub: TSUDOI_PUBLIC_URL when set; else the
 * host the organizer's browser used — unless that is a loopback name, which on a phone means the
 * phone itself, so the hub's LAN address (the one device set-up already gives) takes its place.
 */
export function publicBaseUrl (request: FastifyRequest, bindHost: string, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl.replace(/\/+$/, '')
  if (!LOOPBACK.test(request.hostname)) return `${request.protocol}://${request.host}`
  const host = reachableHost(bindHost, undefined)
  const port = request.port === undefined || request.port === null ? '' : `:${request.port}`
  return `${request.protocol}://${host.includes(':') ? `[${host}]` : host}${port}`
}
