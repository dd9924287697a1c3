import { encodeTag } from './escape.ts'
import type { Reading } from '../../domain/reading.ts'

// A reading as the line protocol line the official client's Point would write — measurement
// `reading`, tags in key order, escaped as the client escapes them (`,` `=` space and the
// three whitespace controls), empty tags left out, float field `value`, ms timestamp — built
// as one string. Point objects were most of the drainer's time on the main thread at tens of
// thousands of readings a second (bench/); test/store/influx-line.test.ts holds the two equal.

const TAG_SPECIAL = /[, =\n\r\t]/g
const TAG_ESCAPES: Record<string, string> = { ',': '\\,', ' ': '\\ ', '=': '\\=', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** Distinct names one tag's cache keeps before it starts again (a bound on memory, not on correctness). */
export const TAG_CACHE_ENTRIES = 50_000

/** `,key=value` for a tag, or '' when the value is empty. Member, device, sector and metric names repeat, so the result is kept. */
function tagPart (key: string, value: string, cache: Map<string, string>): string {
  let part = cache.get(value)
  if (part === undefined) {
    const encoded = encodeTag(value)
    part = encoded === '' ? '' : `,${key}=${encoded.replace(TAG_SPECIAL, (char) => TAG_ESCAPES[char]!)}`
    if (cache.size >= TAG_CACHE_ENTRIES) cache.clear()
    cache.set(value, part)
  }
  return part
}

/**
 * Writes readings as lines, keeping the escaped tags it has seen. One encoder per writer
 * (server/store/influx/writer.ts), so a store's names are never held, nor evicted, by another
 * store in the same process.
 */
export class LineEncoder {
  private readonly caches = { device: new Map<string, string>(), member: new Map<string, string>(), metric: new Map<string, string>(), sector: new Map<string, string>() }

  /** The line for one reading; bound, so it can be handed to `map` as it is. */
  readonly line = (reading: Reading): string => {
    if (!Number.isFinite(reading.value)) throw new Error(`invalid float value for field 'value': ${reading.value}`)
    const { caches } = this
    return `reading${tagPart('device', reading.device, caches.device)}${tagPart('member', reading.member, caches.member)}` +
      `${tagPart('metric', reading.metric, caches.metric)}${tagPart('sector', reading.sector, caches.sector)}` +
      ` value=${String(reading.value)} ${Math.floor(reading.time)}`
  }

  /** How many escaped tag values are kept, over the four tags (for tests). */
  get cachedTags (): number {
    return this.caches.device.size + this.caches.member.size + this.caches.metric.size + this.caches.sector.size
  }
}
