import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'

// A stand-in for InfluxDB 2.x and 3.x, which cannot be installed on this machine (only Debian's
// influxdb 1.6.7 can, and the 1.x tests run that for real: test/helpers/influxd.ts). It is NOT
// InfluxDB. What it does:
// - answers the endpoints the hub uses with the status codes, headers and error bodies of
//   InfluxData's API reference:
//   /ping 204 with X-Influxdb-Version and X-Influxdb-Build (docs.influxdata.com/influxdb/v2/api/ping;
//   3.x wants the token there too); /api/v2/write 204, or 400 / 401 / 403 / 404 / 413 / 429 / 503
//   (docs.influxdata.com/influxdb/v2/write-data/troubleshoot, "Review HTTP status codes", and
//   docs.influxdata.com/influxdb/v2/api/response-codes); 429 and 503 carry Retry-After in seconds
//   (the v1-compatibility write reference: "a non-negative decimal integer indicating the seconds
//   to delay"); /api/v2/delete (2.x only); /api/v3/write_lp (3.x); /query, InfluxQL over the v1
//   compatibility API.
// - 2.x error bodies are `{"code": …, "message": …}` with the code also in X-Platform-Error-Code,
//   as 2.x sends them (e.g. `{"code":"not found","message":"bucket \"x\" not found"}`, recorded from a
//   2.x server in the R influxdbclient package's fixtures, tests/testthat/localhost-8086/api/v2/); 3.x Core's
//   are `{"error": …, "data": …}`, a partial write listing the rejected lines
//   (docs.influxdata.com/influxdb3/core/write-data/troubleshoot: "line contains the first rejected
//   line, message describes rejections").
// - a partial write stores the lines it accepts and refuses the others, as 2.x OSS and 3.x do
//   (docs-v2 issue 6071; the 3.x troubleshoot page: "Data that has not been rejected is ingested").
// - keeps the points written (a point is measurement + tag set + time; writing it again merges
//   its fields, as InfluxDB does) and evaluates the InfluxQL shapes the hub's gauge paths send:
//   `SELECT agg("f") AS "a", … | "f", "tag", … FROM "m" WHERE "tag" = '…' AND time >= …ms AND
//   time < …ms [GROUP BY time(…), "tag", …] [fill(none)] [ORDER BY time DESC] [LIMIT n]` with
//   sum, count, mean, min, max, first, last. Subqueries (the counter and presence queries) are
//   answered with an InfluxQL error, so a test that reaches one fails loudly instead of reading
//   an invented answer.

export type StubFlavor = 'v2' | 'v3'

export interface StoredPoint { measurement: string, tags: Record<string, string>, fields: Record<string, number | string | boolean>, time: number }

export interface StubRequest { method: string, path: string, params: Record<string, string>, authorization?: string, body: string, status: number }

export interface InfluxStubOptions {
  flavor: StubFlavor
  /** Tokens the server knows, and whether each may write (2.x answers 403 to a read-only one). */
  tokens?: Record<string, { write: boolean }>
  /** Buckets (2.x) or databases (3.x, which creates one on its first write) that exist. */
  buckets?: string[]
  /** 2.x: the organisation a write or delete must name when the token can see several (undefined: any). */
  requiredOrg?: string
  /** Largest write body taken; a bigger one is answered 413 (2.x: the limit is influxd's --http-max-body-size). */
  maxBodyBytes?: number
  /** Refuses one line of a write (standing in for what the server refuses itself, e.g. a field type conflict another writer caused). */
  refuseLine?: (point: StoredPoint) => string | undefined
}

export class InfluxStub {
  readonly points = new Map<string, StoredPoint>()
  readonly requests: StubRequest[] = []
  readonly tokens: Map<string, { write: boolean }>
  readonly buckets: Set<string>
  /** Set to answer every write with 429 or 503 (and this Retry-After) until cleared. */
  overloaded: { status: 429 | 503, retryAfterS: number } | undefined
  private server: Server | undefined
  url = ''

  constructor (readonly options: InfluxStubOptions) {
    this.tokens = new Map(Object.entries(options.tokens ?? {}))
    this.buckets = new Set(options.buckets ?? [])
  }

  async start (): Promise<this> {
    this.server = createServer((request, response) => { void this.serve(request, response) })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
    return this
  }

  async stop (): Promise<void> {
    const server = this.server
    this.server = undefined
    server?.closeAllConnections()
    if (server !== undefined) await new Promise((resolve) => server.close(resolve))
  }

  /** The stored points of a measurement, oldest first. */
  measurement (name: string): StoredPoint[] {
    return [...this.points.values()].filter((point) => point.measurement === name).sort((a, b) => a.time - b.time)
  }

  /** Requests to a path (without its query string). */
  to (path: string): StubRequest[] { return this.requests.filter((request) => request.path === path) }

  private get version (): { version: string, build: string } {
    return this.options.flavor === 'v2' ? { version: 'v2.7.11', build: 'OSS' } : { version: '3.2.1', build: 'Core' }
  }

  private async serve (request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString()
    const url = new URL(request.url ?? '/', 'http://stub')
    const params = Object.fromEntries(url.searchParams)
    if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true) Object.assign(params, Object.fromEntries(new URLSearchParams(body)))
    const { version, build } = this.version
    response.setHeader('X-Influxdb-Version', version)
    response.setHeader('X-Influxdb-Build', build)
    const answer = this.route(request.method ?? 'GET', url.pathname, params, request.headers.authorization, raw.length, body)
    this.requests.push({ method: request.method ?? '', path: url.pathname, params, body, status: answer.status, ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }) })
    response.statusCode = answer.status
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value)
    if (answer.body === undefined) { response.end(); return }
    response.setHeader('Content-Type', 'application/json; charset=utf-8')
    response.end(JSON.stringify(answer.body))
  }

  private route (method: string, path: string, params: Record<string, string>, authorization: string | undefined, bytes: number, body: string): Answer {
    const token = /^(?:Token|Bearer) (.+)$/.exec(authorization ?? '')?.[1]
    const access = token === undefined ? undefined : this.tokens.get(token)
    if (path === '/ping') {
      // 2.x serves /ping to anyone; 3.x Core asks for the token there too.
      if (this.options.flavor === 'v3' && access === undefined) return this.error(401, 'unauthorized', 'unauthorized access')
      return { status: 204 }
    }
    if (access === undefined) return this.error(401, 'unauthorized', 'unauthorized access')
    if (path === '/query') return this.query(params)
    const isWrite = (path === '/api/v2/write' && method === 'POST') || (this.options.flavor === 'v3' && path === '/api/v3/write_lp' && method === 'POST')
    const isDelete = this.options.flavor === 'v2' && path === '/api/v2/delete' && method === 'POST'
    if (!isWrite && !isDelete) return this.error(404, 'not found', 'path not found')
    if (!access.write) return this.error(403, 'forbidden', `insufficient permissions for ${isWrite ? 'write' : 'delete'}`)
    if (this.options.requiredOrg !== undefined && params.org !== this.options.requiredOrg) {
      return this.error(404, 'not found', params.org === undefined ? 'organization name "" not found' : `organization name "${params.org}" not found`)
    }
    const bucket = params.bucket ?? params.db ?? ''
    // 3.x creates a database on its first write (docs.influxdata.com/influxdb3/core/write-data); 2.x wants the bucket made first.
    if (this.options.flavor === 'v3' && isWrite) this.buckets.add(bucket)
    if (!this.buckets.has(bucket)) return this.error(404, 'not found', `bucket "${bucket}" not found`)
    if (isDelete) return this.delete(bucket, body)
    if (this.overloaded !== undefined) {
      const { status, retryAfterS } = this.overloaded
      return { ...this.error(status, status === 429 ? 'too many requests' : 'unavailable', status === 429 ? 'write limit reached' : 'service unavailable'), headers: { ...this.errorHeaders(status === 429 ? 'too many requests' : 'unavailable'), 'Retry-After': String(retryAfterS) } }
    }
    if (this.options.maxBodyBytes !== undefined && bytes > this.options.maxBodyBytes) {
      return this.error(413, 'request too large', `unable to read data: points batch is too large (${bytes} bytes, limit ${this.options.maxBodyBytes})`)
    }
    return this.write(body)
  }

  private write (body: string): Answer {
    const rejected: Array<{ line: string, number: number, reason: string }> = []
    body.split('\n').forEach((line, index) => {
      if (line.trim() === '') return
      const point = parseLine(line)
      const reason = point === undefined ? 'unable to parse' : this.options.refuseLine?.(point)
      if (point === undefined || reason !== undefined) { rejected.push({ line, number: index + 1, reason: reason ?? 'unable to parse' }); return }
      const key = seriesKey(point)
      const existing = this.points.get(key)
      this.points.set(key, existing === undefined ? point : { ...existing, fields: { ...existing.fields, ...point.fields } })
    })
    if (rejected.length === 0) return { status: 204 }
    if (this.options.flavor === 'v3') {
      return {
        status: 400,
        body: { error: 'partial write of line protocol occurred', data: rejected.map(({ line, number, reason }) => ({ original_line: line, line_number: number, error_message: reason })) }
      }
    }
    return this.error(400, 'invalid', `partial write: ${rejected[0]!.reason} dropped=${rejected.length}`)
  }

  /** 2.x /api/v2/delete: a predicate of `_measurement="m" AND tag="v"` terms. */
  private delete (bucket: string, body: string): Answer {
    const { predicate } = JSON.parse(body) as { predicate: string }
    const terms = [...predicate.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!.replace(/\\(.)/g, '$1')] as const)
    for (const [key, point] of this.points) {
      if (terms.every(([tag, value]) => tag === '_measurement' ? point.measurement === value : point.tags[tag] === value)) this.points.delete(key)
    }
    void bucket
    return { status: 204 }
  }

  private query (params: Record<string, string>): Answer {
    const results = splitStatements(params.q ?? '').map((statement, id) => {
      try {
        const series = evaluate(statement, [...this.points.values()])
        return series.length === 0 ? { statement_id: id } : { statement_id: id, series }
      } catch (error) {
        return { statement_id: id, error: (error as Error).message }
      }
    })
    return { status: 200, body: { results } }
  }

  private error (status: number, code: string, message: string): Answer {
    if (this.options.flavor === 'v3') return { status, body: { error: message, data: null } }
    return { status, body: { code, message }, headers: this.errorHeaders(code) }
  }

  private errorHeaders (code: string): Record<string, string> {
    return this.options.flavor === 'v2' ? { 'X-Platform-Error-Code': code } : {}
  }
}

interface Answer { status: number, body?: unknown, headers?: Record<string, string> }

export async function startInfluxStub (options: InfluxStubOptions): Promise<InfluxStub> {
  return await new InfluxStub(options).start()
}

function seriesKey (point: StoredPoint): string {
  return [point.measurement, ...Object.keys(point.tags).sort().map((key) => `${key}=${point.tags[key]!}`), String(point.time)].join('\u0000')
}

// ---- line protocol (docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol) ----

/** Splits at `separator` outside double quotes, honouring backslash escapes. */
function splitUnescaped (text: string, separator: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char === '\\' && i + 1 < text.length) { current += char + text[i + 1]!; i++; continue }
    if (char === '"') quoted = !quoted
    if (char === separator && !quoted) { parts.push(current); current = ''; continue }
    current += char
  }
  parts.push(current)
  return parts
}

const unescape = (text: string): string => text.replace(/\\([,= \\"])/g, '$1')

export function parseLine (line: string): StoredPoint | undefined {
  const sections = splitUnescaped(line, ' ')
  if (sections.length !== 3) return undefined
  const [series, fieldSet, timestamp] = sections as [string, string, string]
  const [measurement, ...tagPairs] = splitUnescaped(series, ',')
  const tags: Record<string, string> = {}
  for (const pair of tagPairs) {
    const [key, value] = splitUnescaped(pair, '=')
    if (key === undefined || value === undefined) return undefined
    tags[unescape(key)] = unescape(value)
  }
  const fields: StoredPoint['fields'] = {}
  for (const pair of splitUnescaped(fieldSet, ',')) {
    const [key, value] = splitUnescaped(pair, '=')
    if (key === undefined || value === undefined) return undefined
    if (value.startsWith('"')) fields[unescape(key)] = unescape(value.slice(1, -1))
    else if (value === 't' || value === 'true' || value === 'f' || value === 'false') fields[unescape(key)] = value.startsWith('t')
    else {
      const number = Number(value.replace(/[iu]$/, ''))
      if (!Number.isFinite(number)) return undefined
      fields[unescape(key)] = number
    }
  }
  const time = Number(timestamp)
  if (measurement === undefined || !Number.isSafeInteger(time)) return undefined
  return { measurement: unescape(measurement), tags, fields, time }
}

// ---- the InfluxQL the hub's gauge paths send ----

function splitStatements (q: string): string[] {
  const statements: string[] = []
  let current = ''
  let quote: string | undefined
  for (let i = 0; i < q.length; i++) {
    const char = q[i]!
    if (char === '\\' && quote !== undefined) { current += char + (q[i + 1] ?? ''); i++; continue }
    if (quote === undefined && (char === '\'' || char === '"')) quote = char
    else if (char === quote) quote = undefined
    if (char === ';' && quote === undefined) { statements.push(current.trim()); current = ''; continue }
    current += char
  }
  if (current.trim() !== '') statements.push(current.trim())
  return statements
}

const quotedText = (text: string): string => text.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => c === 'n' ? '\n' : c)
const name = (text: string): string => text.startsWith('"') ? quotedText(text) : text
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const AGGREGATES = ['sum', 'count', 'mean', 'min', 'max', 'first', 'last'] as const
type Aggregate = typeof AGGREGATES[number]

interface Column { label: string, field: string, aggregate?: Aggregate }
interface Series { name: string, tags?: Record<string, string>, columns: string[], values: unknown[][] }

const STATEMENT = /^SELECT (.+?) FROM ("(?:[^"\\]|\\.)*") WHERE (.+?)(?: GROUP BY (.+?))?(?: fill\(none\))?(?: ORDER BY time (ASC|DESC))?(?: LIMIT (\d+))?$/

function evaluate (statement: string, points: readonly StoredPoint[]): Series[] {
  if (statement.includes('FROM (')) throw new Error(`influx stub: subqueries are not evaluated here: ${statement.slice(0, 120)}`)
  const match = STATEMENT.exec(statement)
  if (match === null) throw new Error(`influx stub: statement not understood: ${statement.slice(0, 120)}`)
  const [, selectList, from, whereClause, groupBy, order, limit] = match as unknown as [string, string, string, string, string | undefined, string | undefined, string | undefined]
  const measurement = quotedText(from)
  const columns: Column[] = splitStatementsBy(selectList, ',').map((item) => {
    const aggregated = /^(\w+)\(("(?:[^"\\]|\\.)*")\)(?: AS (.+))?$/.exec(item)
    if (aggregated !== null) {
      const aggregate = aggregated[1] as Aggregate
      if (!AGGREGATES.includes(aggregate)) throw new Error(`influx stub: function ${aggregate} not evaluated here`)
      return { field: name(aggregated[2]!), aggregate, label: aggregated[3] === undefined ? aggregate : name(aggregated[3]) }
    }
    return { field: name(item), label: name(item) }
  })
  const filter = conditions(whereClause)
  const groups = (groupBy ?? '').split(', ').filter((part) => part !== '')
  const bucketMs = groups.map((part) => /^time\((\d+)(ms|s|m|h|d|w)\)$/.exec(part)).find((m) => m !== null)
  const groupTags = groups.filter((part) => !part.startsWith('time(')).map(name)
  const selected = points.filter((point) => point.measurement === measurement && filter(point)).sort((a, b) => a.time - b.time)
  const bySeries = new Map<string, StoredPoint[]>()
  for (const point of selected) {
    const key = groupTags.map((tag) => point.tags[tag] ?? '').join('\u0000')
    bySeries.set(key, [...(bySeries.get(key) ?? []), point])
  }
  const aggregated = columns.some((column) => column.aggregate !== undefined)
  const series: Series[] = [...bySeries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, members]) => {
    let rows: unknown[][]
    if (!aggregated) {
      rows = members.map((point) => [point.time, ...columns.map((column) => point.fields[column.field] ?? point.tags[column.field] ?? null)])
    } else {
      const size = bucketMs === undefined ? undefined : Number(bucketMs[1]) * DURATION_MS[bucketMs[2]!]!
      const buckets = new Map<number, StoredPoint[]>()
      for (const point of members) {
        const start = size === undefined ? 0 : Math.floor(point.time / size) * size
        buckets.set(start, [...(buckets.get(start) ?? []), point])
      }
      rows = [...buckets.entries()].sort(([a], [b]) => a - b).map(([start, inBucket]) => [start, ...columns.map((column) => reduce(column, inBucket))])
    }
    if (order === 'DESC') rows.reverse()
    if (limit !== undefined) rows = rows.slice(0, Number(limit))
    const tags = Object.fromEntries(groupTags.map((tag) => [tag, members[0]!.tags[tag] ?? '']))
    return { name: measurement, ...(groupTags.length === 0 ? {} : { tags }), columns: ['time', ...columns.map((column) => column.label)], values: rows }
  })
  return series.filter((one) => one.values.length > 0)
}

function splitStatementsBy (text: string, separator: string): string[] {
  return splitUnescaped(text, separator).map((part) => part.trim())
}

function reduce (column: Column, points: readonly StoredPoint[]): number | null {
  const values = points.map((point) => point.fields[column.field]).filter((value): value is number => typeof value === 'number')
  if (values.length === 0) return null
  switch (column.aggregate) {
    case 'sum': return values.reduce((a, b) => a + b, 0)
    case 'count': return values.length
    case 'mean': return values.reduce((a, b) => a + b, 0) / values.length
    case 'min': return Math.min(...values)
    case 'max': return Math.max(...values)
    case 'first': return values[0]!
    default: return values.at(-1)!
  }
}

/** `"tag" = 'v'`, `time >= Nms`, `time < Nms` joined by AND; anything else is refused. */
function conditions (clause: string): (point: StoredPoint) => boolean {
  const tests = clause.split(' AND ').map((term): ((point: StoredPoint) => boolean) => {
    const tag = /^("(?:[^"\\]|\\.)*") = ('(?:[^'\\]|\\.)*')$/.exec(term)
    if (tag !== null) {
      const key = quotedText(tag[1]!)
      const value = quotedText(tag[2]!)
      return (point) => (point.tags[key] ?? '') === value
    }
    const time = /^time (>=|<) (\d+)ms$/.exec(term)
    if (time !== null) {
      const bound = Number(time[2])
      return time[1] === '>=' ? (point) => point.time >= bound : (point) => point.time < bound
    }
    throw new Error(`influx stub: condition not evaluated here: ${term}`)
  })
  return (point) => tests.every((test) => test(point))
}
