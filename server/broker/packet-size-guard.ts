import type { Client } from 'aedes'
import { internalsOf } from './aedes-internals.ts'

// Limits before trust (issue 12, item 4). aedes' parser (mqtt-packet) buffers a whole packet
// before looking at it, whatever length its fixed header announces — up to the 268,435,455
// bytes MQTT allows [MQTT-2.2.3] — and an unauthenticated socket could stream that much into a
// CONNECT. This guard sits in front of every parser (and in front of the fast path), reads only
// each fixed header as it goes by, and closes the connection as soon as a header announces more
// than its packet type may carry in the connection's state: nothing of the packet is buffered.
// It keeps a few numbers per connection and copies no bytes.

export interface PacketLimits {
  /** Any packet before the login is accepted: a CONNECT with its credentials and a small will [MQTT-3.1.0-1]. */
  beforeTrust: number
  /** A PUBLISH of a logged-in device: the payload limit plus its variable header. */
  publish: number
  /** SUBSCRIBE and UNSUBSCRIBE of a logged-in device. */
  subscribe: number
}

/** 8 KiB: client id, user name, token and a will of a few hundred bytes fit many times over. */
export const BEFORE_TRUST_BYTES = 8 * 1024
/** Room for a PUBLISH's topic (2-byte length + topic) and packet id beside the payload limit. */
export const PUBLISH_HEADER_ALLOWANCE = 4 * 1024
export const SUBSCRIBE_BYTES = 16 * 1024

export function packetLimits (maxPayload: number): PacketLimits {
  return { beforeTrust: BEFORE_TRUST_BYTES, publish: maxPayload + PUBLISH_HEADER_ALLOWANCE, subscribe: SUBSCRIBE_BYTES }
}

/** The largest packet any connection may send: what a WebSocket message may carry. */
export function largestPacket (limits: PacketLimits): number {
  return Math.max(limits.beforeTrust, limits.publish, limits.subscribe) + 5 // fixed header
}

/** Where the guard hands the bytes it lets through: aedes' own parse, or the fast path in front of it. */
export interface ParseSlot { next: (chunk: Buffer) => unknown }

export type Violation = { kind: 'too-large' | 'too-short', type: number, length: number } | { kind: 'malformed-length' }

/** Largest remaining length a logged-in client may announce, by packet type [MQTT-2.2.1]. */
function trustedLimit (type: number, limits: PacketLimits): number {
  switch (type) {
    case 3: return limits.publish // PUBLISH
    case 8: case 10: return limits.subscribe // SUBSCRIBE, UNSUBSCRIBE
    case 4: case 5: case 6: case 7: return 2 // PUBACK, PUBREC, PUBREL, PUBCOMP: a packet id [MQTT-3.4.1]
    case 12: case 14: return 0 // PINGREQ, DISCONNECT
    default: return limits.beforeTrust // CONNECT again, or a server-only type: aedes closes on these
  }
}

/**
 * Fewest bytes a logged-in client's packet of this type can hold: a packet id is 2 bytes
 * [MQTT-2.3.1]. Below that, mqtt-packet reads the packet id from whatever bytes follow in its
 * buffer — the next packet's, or none — so the same bytes would be read differently depending
 * on how TCP cut them. Such a packet is malformed [MQTT-3.4.1]; the connection is closed.
 * SUBSCRIBE and UNSUBSCRIBE must also carry at least one topic filter [MQTT-3.8.3-3],
 * [MQTT-3.10.3-2] of at least one character [MQTT-4.7.3-1] (its 2-byte length, and for
 * SUBSCRIBE its options byte); aedes 1.2.0 answers an UNSUBSCRIBE with none instead of closing.
 */
function trustedMinimum (type: number): number {
  if (type === 8) return 2 + 2 + 1 + 1
  if (type === 10) return 2 + 2 + 1
  return type >= 4 && type <= 7 ? 2 : 0
}

/**
 * Puts the guard in front of a new client's parser, before it has read a byte. `onViolation`
 * runs once, after the bytes before the offending header have been passed on; the guard then
 * drops everything that follows.
 */
export function guardPacketSizes (client: Client, limits: PacketLimits, onViolation: (violation: Violation) => void): ParseSlot {
  const internals = internalsOf(client)
  const parser = internals._parser
  const slot: ParseSlot = { next: parser.parse.bind(parser) }
  let skip = 0 // body bytes of the current packet still to come
  let type = -1 // type of the packet whose length is being read; -1: next byte is a header
  let length = 0
  let multiplier = 1
  let lengthBytes = 0
  let stopped = false

  parser.parse = (chunk: Buffer): number => {
    if (stopped) return 0
    let i = 0
    const n = chunk.length
    while (i < n) {
      if (skip > 0) {
        const step = Math.min(skip, n - i)
        skip -= step
        i += step
        continue
      }
      if (type < 0) {
        type = chunk[i++]! >> 4
        length = 0
        multiplier = 1
        lengthBytes = 0
        continue
      }
      const byte = chunk[i++]!
      length += (byte & 0x7f) * multiplier
      multiplier *= 128
      lengthBytes++
      if ((byte & 0x80) !== 0) {
        // [MQTT-2.2.3]: at most four length bytes; mqtt-packet closes on a fifth too.
        if (lengthBytes === 4) return stop(chunk, i - lengthBytes - 1, { kind: 'malformed-length' })
        continue
      }
      const trusted = internals._authorized
      if (length > (trusted ? trustedLimit(type, limits) : limits.beforeTrust)) return stop(chunk, i - lengthBytes - 1, { kind: 'too-large', type, length })
      if (trusted && length < trustedMinimum(type)) return stop(chunk, i - lengthBytes - 1, { kind: 'too-short', type, length })
      skip = length
      type = -1
    }
    slot.next(chunk)
    return 0
  }

  function stop (chunk: Buffer, headerAt: number, violation: Violation): number {
    stopped = true
    // The packets before this header were whole and in order: they are handled as usual.
    if (headerAt > 0) slot.next(chunk.subarray(0, headerAt))
    onViolation(violation)
    return 0
  }

  return slot
}
