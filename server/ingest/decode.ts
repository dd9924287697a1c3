import { errorCatalogue } from '../errors.ts'
import { mayPublish } from './access.ts'
import { formats } from './formats/index.ts'
import { DISCOVERY_PREFIX } from './formats/discovery-config.ts'
import type { LearnedDiscovery } from './formats/discovery.ts'
import type { DeviceIdentity } from '../domain/identity.ts'
import { type Accepted, type Refusal, isRefusal, validateCandidate } from './validate.ts'

export interface DecodeOutcome {
  accepted: Accepted[]
  refusals: Refusal[]
  status?: 'online' | 'offline'
  /** What a decoder threw, when one did (the payload is then refused as PROCESSING_FAILED): for the log, never for the device. */
  failure?: unknown
}

/** Refusals that mean the topic itself is not the device's to publish: the broker must not route it. */
const TOPIC_REFUSALS = new Set<Refusal['code']>(['TOPIC_NOT_ALLOWED', 'UNKNOWN_TOPIC'])

/** May the broker route this PUBLISH to its readers? (Readings refused inside it don't matter.) */
export const isRoutable = (outcome: DecodeOutcome): boolean => !outcome.refusals.some((r) => TOPIC_REFUSALS.has(r.code))

/** What decoding needs from the hub it runs in: made once per hub (server/ingest/pipeline.ts), never per PUBLISH. */
export interface DecodeContext {
  /** TSUDOI_MAX_PAYLOAD. */
  maxPayload: number
  /** What this hub's devices announced through Home Assistant discovery: the one state decoding reads and writes. */
  discovery: LearnedDiscovery
}

/**
 * Everything the hub does with one PUBLISH before storing it: topic ACL, size limit, the
 * device's format, and the common checks. Good readings in a payload survive its bad ones.
 * The outcome depends on its arguments only; the one thing it changes is `context.discovery`,
 * when the publish is a discovery config — no module state, so two hubs in one process
 * decode independently. It never throws: whatever a decoder throws on one payload refuses
 * that payload (PROCESSING_FAILED), and nothing else (issue 12, item 1).
 */
export function decodePublish (device: DeviceIdentity, topic: string, payload: Buffer, now: number, context: DecodeContext): DecodeOutcome {
  const { maxPayload } = context
  let allowed = false
  try {
    const format = formats[device.format]
    allowed = mayPublish(device, topic)
    if (!allowed) {
      return { accepted: [], refusals: [{ code: 'TOPIC_NOT_ALLOWED', message: `device ${device.id} may not publish to ${topic}` }] }
    }
    if (payload.length > maxPayload) {
      return { accepted: [], refusals: [{ code: 'PAYLOAD_TOO_LARGE', message: `payload of ${payload.length} bytes exceeds the limit of ${maxPayload}` }] }
    }
    const decoded = format.decode(device, topic, payload, context.discovery)
    if (decoded === null) {
      // The shared discovery tree is no device's own: what nothing there reads is not routed.
      if (topic.startsWith(`${DISCOVERY_PREFIX}/`)) {
        return { accepted: [], refusals: [{ code: 'UNKNOWN_TOPIC', message: `topic ${topic} is not part of the ${device.format} format` }] }
      }
      // A topic of the device's own tree that holds no readings (`…/cmd/led`, `stat/<t>/POWER`):
      // routed to whoever may read it, like any MQTT message; not ingest's to refuse (issue 12, item 9).
      return { accepted: [], refusals: [] }
    }
    const outcome: DecodeOutcome = { accepted: [], refusals: [...decoded.refusals] }
    if (decoded.status) outcome.status = decoded.status
    for (const candidate of decoded.candidates) {
      const result = validateCandidate(candidate, now)
      if (isRefusal(result)) outcome.refusals.push(result)
      else outcome.accepted.push(result)
    }
    return outcome
  } catch (error) {
    const refusal: Refusal = { code: 'PROCESSING_FAILED', message: errorCatalogue.PROCESSING_FAILED.message }
    // A topic the ACL let through stays routable: the failure was in reading the payload, not in who may publish it.
    const refusals: Refusal[] = allowed ? [refusal] : [refusal, { code: 'TOPIC_NOT_ALLOWED', message: `topic ${topic} was not checked` }]
    return { accepted: [], refusals, failure: error }
  }
}
