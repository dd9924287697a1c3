import { matcherFor } from './topic-filter.ts'
import { formats } from './formats/index.ts'
import type { DeviceIdentity } from './formats/format.ts'
import { type Accepted, type Refusal, isRefusal, validateCandidate } from './validate.ts'

export interface DecodeOutcome {
  accepted: Accepted[]
  refusals: Refusal[]
  status?: 'online' | 'offline'
}

/**
 * Everything the hub does with one PUBLISH before storing it, as a pure function:
 * topic ACL, size limit, the device's format, and the common checks. Good readings in a
 * payload survive its bad ones.
 */
export function decodePublish (device: DeviceIdentity, topic: string, payload: Buffer, now: number, maxPayload: number): DecodeOutcome {
  const format = formats[device.format]
  if (!matcherFor(format, device, () => format.publishFilters(device))(topic)) {
    return { accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to ${topic}` }] }
  }
  if (payload.length > maxPayload) {
    return { accepted: [], refusals: [{ code: 'PAYLOAD_TOO_LARGE', message: `payload of ${payload.length} bytes exceeds the limit of ${maxPayload}` }] }
  }
  const decoded = format.decode(device, topic, payload)
  if (decoded === null) {
    return { accepted: [], refusals: [{ code: 'UNKNOWN_TOPIC', message: `topic ${topic} is not part of the ${device.format} format` }] }
  }
  const outcome: DecodeOutcome = { accepted: [], refusals: [...decoded.refusals] }
  if (decoded.status) outcome.status = decoded.status
  for (const candidate of decoded.candidates) {
    const result = validateCandidate(candidate, now)
    if (isRefusal(result)) outcome.refusals.push(result)
    else outcome.accepted.push(result)
  }
  return outcome
}
