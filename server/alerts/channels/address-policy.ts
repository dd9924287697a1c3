import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'

// Webhooks are URLs a member types and the hub then requests: without a check, a member could
// make the hub POST to its own admin API, a router's page or a cloud metadata service on the
// hub's network (server-side request forgery). By default the hub refuses any address that is
// not public (RFC 6890 special-purpose ranges); TSUDOI_ALERT_WEBHOOK_PRIVATE=on allows them,
// for a hub whose webhooks go to Node-RED or Home Assistant on the same LAN.
//
// The check runs on the address the connection is really made to (a `lookup` hook), not on
// a name resolved once when the rule was saved: a DNS answer that changes later (rebinding)
// cannot slip a private address past it. IP literals, which skip `lookup`, are checked first.

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 127], ['64:ff9b::', 96], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]
] as const) blocked.addSubnet(network, prefix, 'ipv6')

/** Is this an address the hub must not send a webhook to by default? */
export function isPrivateAddress (address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family !== 6) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped !== undefined) return blocked.check(mapped, 'ipv4')
  return blocked.check(address, 'ipv6')
}

export class BlockedAddressError extends Error {
  /** `host` is what the member wrote: the address a name resolved to is not told (it would map the hub's network). */
  constructor (host: string) {
    super(`${host} is not a public address (TSUDOI_ALERT_WEBHOOK_PRIVATE=on allows it)`)
    this.name = 'BlockedAddressError'
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** A `lookup` for http.request that refuses non-public answers. */
export function publicOnlyLookup (hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) return callback(error, [])
    const list = addresses as LookupAddress[]
    const refused = list.find((a) => isPrivateAddress(a.address))
    if (refused !== undefined) return callback(new BlockedAddressError(hostname), [])
    if (options.all === true) return callback(null, list)
    const first = list[0]
    if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
    callback(null, first.address, first.family)
  })
}
