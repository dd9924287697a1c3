import type { Candidate } from '../validate.ts'
import { devicePrefix, leafUnder } from '../../domain/native-topics.ts'
import { type DecodeResult, type PayloadFormat, nothing, refused } from './format.ts'
import type { DeviceIdentity } from '../../domain/identity.ts'

// Tsudoi's own format: tsudoi/<member>/<device>/telemetry (JSON object or backlog array),
// tsudoi/<member>/<device>/<metric> (a plain number), …/status (online/offline).

export const nativeFormat: PayloadFormat = {
  publishFilters: (device) => [`${devicePrefix(device.member, device.id)}#`],
  subscribeFilters: (device) => [`${devicePrefix(device.member, device.id)}#`],
  decode (device, topic, payload) {
    const leaf = leafUnder(devicePrefix(device.member, device.id), topic)
    if (leaf === undefined) return null
    if (leaf === 'telemetry') return decodeTelemetry(payload.toString('utf8'))
    if (leaf === 'status') return decodeStatus(payload.toString('utf8'))
    // The errors topic is the hub's voice to the device: a device writing there could pass
    // its own words off as the hub's to its other connections. Refused, and not routed.
    if (leaf === 'errors') return refused({ code: 'TOPIC_NOT_ALLOWED', message: `${topic} is written by the hub only` })
    return { candidates: [{ metric: leaf, value: payload.toString('utf8') }], refusals: [] }
  }
}

export function decodeStatus (text: string): DecodeResult {
  const status = text.trim().toLowerCase()
  if (status === 'online' || status === 'offline') return { ...nothing(), status }
  return refused({ code: 'UNKNOWN_SHAPE', message: 'status must be "online" or "offline"' })
}

/** A JSON object of metric → number with an optional `ts`, or an array of them (an offline backlog). */
export function decodeTelemetry (text: string): DecodeResult {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return refused({ code: 'INVALID_JSON', message: `payload is not valid JSON: ${(error as Error).message}` })
  }
  const entries = Array.isArray(body) ? body : [body]
  const result: DecodeResult = nothing()
  entries.forEach((entry, index) => {
    if (!isPlainObject(entry)) {
      const where = Array.isArray(body) ? `element ${index}` : 'payload'
      result.refusals.push({ code: 'UNKNOWN_SHAPE', message: `${where} is not an object of metric → number` })
      return
    }
    objectCandidates(entry, result.candidates)
  })
  if (result.candidates.length === 0 && result.refusals.length === 0) {
    result.refusals.push({ code: 'EMPTY_PAYLOAD', message: 'payload holds no metric' })
  }
  return result
}

function objectCandidates (entry: Record<string, unknown>, into: Candidate[]): void {
  const ts = entry.ts
  // A plain loop: this runs for every reading the hub receives.
  for (const metric in entry) {
    if (metric === 'ts' || !Object.hasOwn(entry, metric)) continue
    into.push(ts === undefined ? { metric, value: entry[metric] } : { metric, value: entry[metric], ts })
  }
}

export function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
