// The one CSV writer (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a
// comma, a quote or a line break (quotes doubled). An absent value is an empty field, never 0.

export type CsvCell = string | number | boolean | null | undefined

export function csvField (value: CsvCell): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv (header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvField).join(',')]
  for (const row of rows) lines.push(row.map(csvField).join(','))
  return `${lines.join('\r\n')}\r\n`
}
