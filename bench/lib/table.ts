// Plain-text tables for the terminal, and the same rows as Markdown for docs/benchmarks.md.

export type Row = Array<string | number>

const cell = (value: string | number): string => typeof value === 'number' ? String(value) : value

export function renderTable (title: string, headers: readonly string[], rows: readonly Row[]): string {
  const all = [headers.map(cell), ...rows.map((row) => row.map(cell))]
  const widths = headers.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)))
  const line = (row: readonly string[]): string => row.map((value, i) => {
    const pad = widths[i]! - [...value].length
    // Numbers (and "—") read better right-aligned; the first column is a label.
    return i === 0 ? value + ' '.repeat(pad) : ' '.repeat(pad) + value
  }).join('  ')
  const rule = widths.map((w) => '─'.repeat(w)).join('  ')
  return [`\n${title}`, line(all[0]!), rule, ...all.slice(1).map(line)].join('\n')
}

export function renderMarkdown (title: string, headers: readonly string[], rows: readonly Row[]): string {
  const esc = (value: string | number): string => cell(value).replace(/\|/g, '\\|')
  return [`#### ${title}`, '', `| ${headers.map(esc).join(' | ')} |`, `|${headers.map((_, i) => i === 0 ? '---' : '---:').join('|')}|`,
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`), ''].join('\n')
}

/** Tables printed during a run, kept to write the Markdown report at the end. */
export class Report {
  readonly markdown: string[] = []

  table (title: string, headers: readonly string[], rows: readonly Row[]): void {
    console.log(renderTable(title, headers, rows))
    this.markdown.push(renderMarkdown(title, headers, rows))
  }

  note (text: string): void {
    console.log(text)
    this.markdown.push(`${text}\n`)
  }

  notice (text: string): void {
    console.log(`\n!!! ${text}`)
    this.markdown.push(`> ⚠️ ${text}\n`)
  }
}
