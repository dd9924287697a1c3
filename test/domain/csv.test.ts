import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toCsv } from '../../server/domain/csv.ts'

/** A reader of RFC 4180, to check the writer against: fields, quoted fields with "" and line breaks, CRLF rows. */
function parseCsv (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue }
      if (c === '"') { quoted = false; i++; continue }
      field += c; i++; continue
    }
    if (c === '"') { quoted = true; i++; continue }
    if (c === ',') { row.push(field); field = ''; i++; continue }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue }
    field += c; i++
  }
  return rows
}

describe('the CSV writer (RFC 4180)', () => {
  it('quotes only what needs it, doubles quotes, ends rows with CRLF, leaves absent values empty', () => {
    expect(toCsv(['time', 'name', 'value'], [['2026-12-02T00:00:00.000Z', 'a,"b"\nc', 21.5], ['t', null, undefined]]))
      .toBe('time,name,value\r\n2026-12-02T00:00:00.000Z,"a,""b""\nc",21.5\r\nt,,\r\n')
  })

  it('reads back exactly, whatever the text', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
      expect(parseCsv(toCsv(['a', 'b'], rows))).toEqual([['a', 'b'], ...rows])
    }))
  })
})
