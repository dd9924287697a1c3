import type { Candidate, Refusal } from '../validate.ts'
import type { DeviceIdentity } from '../../domain/identity.ts'
import type { LearnedDiscovery } from './discovery.ts'

export interface DecodeResult {
  candidates: Candidate[]
  /** Problems found while reading the payload itself (not JSON, unknown shape). */
  refusals: Refusal[]
  /** A status message (birth, last will, availability). */
  status?: 'online' | 'offline'
}

/** One firmware family: which topics its devices use and how their payloads become readings. */
export interface PayloadFormat {
  /** Topic filters the device may publish to. */
  publishFilters (device: DeviceIdentity): string[]
  /** Topic filters the device may subscribe within. */
  subscribeFilters (device: DeviceIdentity): string[]
  /**
   * Decodes one publish; `null` means the topic is not part of this format. `discovery` is the
   * hub's memory of what its devices announced: the only state a decoder reads or writes.
   */
  decode (device: DeviceIdentity, topic: string, payload: Buffer, discovery: LearnedDiscovery): DecodeResult | null
}

export const nothing = (): DecodeResult => ({ candidates: [], refusals: [] })
export const refused = (refusal: Refusal): DecodeResult => ({ candidates: [], refusals: [refusal] })
