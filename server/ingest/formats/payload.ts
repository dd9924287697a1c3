import type { Refusal } from '../validate.ts'
import { isPlainObject } from './native.ts'

// Reading firmware payloads: JSON that may not be JSON, objects that may not be objects.
// Each answers either the value or the refusal to send back to the device.

export function readJson (payload: Buffer | string, what = 'payload'): { value: unknown } | { refusal: Refusal } {
  try {
    return { value: JSON.parse(payload.toString()) }
  } catch (error) {
    return { refusal: { code: 'INVALID_JSON', message: `${what} is not valid JSON: ${(error as Error).message}` } }
  }
}

export function readObject (payload: Buffer | string, what = 'payload'): { value: Record<string, unknown> } | { refusal: Refusal } {
  const read = readJson(payload, what)
  if ('refusal' in read) return read
  if (!isPlainObject(read.value)) return { refusal: { code: 'UNKNOWN_SHAPE', message: `${what} is not a JSON object` } }
  return { value: read.value }
}

/**
 * `table[key]` for a key that came from a device (a JSON key, a component, a unit): only the
 * table's own entries. A plain lookup would find Object.prototype's members for keys such as
 * `constructor`, `toString` or `__proto__`, and a decoder would run with a function as its field.
 */
export function own<T> (table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

/** `value_json.a.b` for a path ['a', 'b']; undefined when any step is missing. */
export function dig (value: unknown, path: readonly string[]): unknown {
  let at = value
  for (const key of path) {
    if (!isPlainObject(at) || !Object.hasOwn(at, key)) return undefined
    at = at[key]
  }
  return at
}

/** `online`/`offline`, either bare or as `{"state": "online"}` (Zigbee2MQTT ≥ 1.30, availability lists). */
export function readAvailability (payload: Buffer, online = 'online', offline = 'offline'): 'online' | 'offline' | Refusal {
  let text = payload.toString('utf8').trim()
  if (text.startsWith('{')) {
    const read = readObject(text)
    if ('refusal' in read) return read.refusal
    text = typeof read.value.state === 'string' ? read.value.state : ''
  }
  if (text.toLowerCase() === online.toLowerCase()) return 'online'
  if (text.toLowerCase() === offline.toLowerCase()) return 'offline'
  return { code: 'UNKNOWN_SHAPE', message: `availability must be ${JSON.stringify(online)} or ${JSON.stringify(offline)}` }
}
