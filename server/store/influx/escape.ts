// Getting names in and out of InfluxDB exactly, whatever a member, device or metric is called.
//
// Line protocol (write side): the client's Point escapes `,`, `=` and space in tag values,
// which every version unescapes. It cannot carry the rest:
// - a newline ends the line: "Line protocol does not support the newline character \n
//   within tag values" (docs.influxdata.com/influxdb/v1.7/write_protocols/line_protocol_reference);
//   the client writes it as `\n`, which 1.x and 2.x store as the two characters `\` `n`;
// - a backslash is kept literally by 1.x/2.x (`a\\b` is stored as `a\\b`), so `\n` written
//   by a device could not be told from an escaped newline, and a value ending in `\` escapes
//   the following `,` and swallows the next tag (the client's Point.tag() asks callers to
//   avoid it);
// - an empty tag value is dropped by the client.
// So tag values go through a reversible percent-encoding of just those characters (`%` itself,
// `\`, C0 controls and DEL); slugs and ordinary names are stored unchanged. An empty tag is
// simply absent, and reads back as ''.
//
// InfluxQL (read side): string literals are single-quoted and identifiers double-quoted;
// the scanner knows only the escapes \\ \' \" \n and refuses a raw newline
// (influxql/scanner.go, ScanString), so those are the only escapes to apply.

const TAG_UNSAFE = /[%\\\u0000-\u001f\u007f]/g
const TAG_ENCODED = /%([0-9A-F]{2})/g

/** Encodes a tag value so line protocol carries it unchanged on every InfluxDB version. */
export function encodeTag (value: string): string {
  return value.replace(TAG_UNSAFE, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

/** Reverses encodeTag. InfluxDB returns a missing tag as null or ''. */
export function decodeTag (value: unknown): string {
  if (typeof value !== 'string') return ''
  return value.replace(TAG_ENCODED, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

function escapeQuoted (text: string, quote: '\'' | '"'): string {
  let out = quote
  for (const char of text) {
    if (char === '\\') out += '\\\\'
    else if (char === quote) out += `\\${quote}`
    else if (char === '\n') out += '\\n'
    else out += char
  }
  return out + quote
}

/** An InfluxQL string literal. */
export const literal = (text: string): string => escapeQuoted(text, '\'')

/** An InfluxQL identifier (database, measurement, tag or field name); also delete-predicate values (2.x). */
export const identifier = (name: string): string => escapeQuoted(name, '"')

/** `"tag" = '<encoded value>'`: the comparison for a tag whose value was written through encodeTag. */
export const tagEquals = (tag: string, value: string): string => `${identifier(tag)} = ${literal(encodeTag(value))}`
