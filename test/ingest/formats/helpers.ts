import { type DecodeContext, type DecodeOutcome, decodePublish } from '../../../server/ingest/decode.ts'
import { LearnedDiscovery } from '../../../server/ingest/formats/discovery.ts'
import type { DeviceIdentity } from '../../../server/domain/identity.ts'
import type { DeviceFormat } from '../../../server/domain/device-formats.ts'

// Shared fixtures for the format suites: every test goes through decodePublish, so the
// ACL, the decoder and the hub's validation all apply, as they do for a real PUBLISH.

export const NOW = Date.UTC(2025, 5, 1, 3, 0, 0)
export const MAX_PAYLOAD = 64 * 1024
/** One hub's decoding state, shared by the tests of a file as one hub would share it. */
export const CONTEXT: DecodeContext = { maxPayload: MAX_PAYLOAD, discovery: new LearnedDiscovery() }

let serial = 0
/** A fresh device (fresh id, so no discovery learned by another test leaks in). */
export function deviceOf (format: DeviceFormat, topic: string): DeviceIdentity {
  serial += 1
  return { id: `${format}-${serial}`, member: 'umi-farm', sector: 'aquaculture', format, topic }
}

export function publish (device: DeviceIdentity, topic: string, payload: string | object): DecodeOutcome {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return decodePublish(device, topic, Buffer.from(text), NOW, CONTEXT)
}

/** An accepted reading at the hub's receive time. */
export const at = (metric: string, value: number): { metric: string, value: number, time: number } => ({ metric, value, time: NOW })

export const readings = (...accepted: Array<{ metric: string, value: number, time: number }>): DecodeOutcome => ({ accepted, refusals: [] })
