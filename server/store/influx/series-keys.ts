import { decodeTag, identifier } from './escape.ts'

// Every (device, metric) series of the `reading` measurement, from InfluxDB's series index
// (no data scanned): the seed of the per-device metric cap (server/ingest/metric-cardinality.ts).

export const seriesKeysQuery = `SHOW SERIES FROM ${identifier('reading')}`

/**
 * `reading,device=tank-1,member=koi,metric=ph,sector=aquaculture` → its tags. Keys escape `,`,
 * `=` and space with a backslash as line protocol does; a backslash is otherwise never in a
 * tag value (encodeTag percent-encodes it), so every backslash is an escape.
 */
export function parseSeriesKey (key: string): Record<string, string> {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < key.length; i++) {
    const char = key[i]!
    if (char === '\\' && i + 1 < key.length) {
      current += char + key[++i]!
    } else if (char === ',') {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  const tags: Record<string, string> = {}
  for (const part of parts.slice(1)) {
    const at = unescapedEquals(part)
    if (at === -1) continue
    tags[unescape(part.slice(0, at))] = decodeTag(unescape(part.slice(at + 1)))
  }
  return tags
}

function unescapedEquals (text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '=') return i
  }
  return -1
}

const unescape = (text: string): string => text.replace(/\\(.)/g, '$1')

/** The (device, metric) pairs of SHOW SERIES rows (each `{ key }`). */
export function deviceMetricsOf (rows: ReadonlyArray<Record<string, unknown>>): Array<{ device: string, metric: string }> {
  const found: Array<{ device: string, metric: string }> = []
  for (const row of rows) {
    if (typeof row.key !== 'string') continue
    const tags = parseSeriesKey(row.key)
    if (tags.device !== undefined && tags.metric !== undefined) found.push({ device: tags.device, metric: tags.metric })
  }
  return found
}
