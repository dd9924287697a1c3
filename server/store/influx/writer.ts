import { HttpError, InfluxDB, Point, type WriteApi } from '@influxdata/influxdb-client'
import { LineEncoder } from './line.ts'
import type { InfluxConnectionOptions, InfluxFlavor } from './http.ts'
import type { Reading } from '../../domain/reading.ts'

/** Most readings one HTTP write carries (InfluxData recommends batches of ~5,000 lines). */
export const MAX_WRITE_BATCH = 5000

/** A write InfluxDB did not take: `status` is undefined when it could not be reached at all. */
export class InfluxWriteError extends Error {
  /**
   * How long the server asked us to wait (429 and 503 carry `Retry-After` in seconds: the InfluxDB
   * write references, e.g. docs.influxdata.com/influxdb/v2/api/write-data-v1-compatible), if it did.
   */
  retryAfterMs: number | undefined

  constructor (readonly status: number | undefined, readonly serverMessage: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(status === undefined ? `InfluxDB write failed: ${serverMessage}` : `InfluxDB write answered ${status}: ${serverMessage}`, options)
    this.name = 'InfluxWriteError'
    this.retryAfterMs = options?.retryAfterMs
  }
}

/**
 * Whether the server refused the data itself, so sending it again can never succeed: 400 (bad
 * line, field type conflict, "partial write"), 413 (body too large), 422 (3.x/Cloud: outside
 * retention, schema). Everything else — unreachable, 5xx, 429, and 401/403/404 (credentials or
 * database, fixed by the operator) — is worth retrying.
 */
export function isRefusedByServer (error: unknown): error is InfluxWriteError {
  return error instanceof InfluxWriteError && error.status !== undefined && [400, 413, 422].includes(error.status)
}

/**
 * Where writes go. 1.x has no /api/v2/write (1.8 added it), so the client is pointed at the 1.x
 * /write endpoint. precision=ms always: 1.x takes an unknown precision for nanoseconds without
 * complaint, which would put every reading in January 1970.
 */
export function writePath (flavor: InfluxFlavor, options: InfluxConnectionOptions): string {
  if (flavor === 'v1') {
    const params = new URLSearchParams({ db: options.database, precision: 'ms' })
    if (options.username !== undefined) {
      params.set('u', options.username)
      params.set('p', options.password ?? '')
    }
    return `/write?${params.toString()}`
  }
  // 2.x and 3.x: bucket = database; the org is the token's unless configured (docs-v2#3982).
  const params = new URLSearchParams({ bucket: options.database, precision: 'ms' })
  if (options.org !== undefined) params.set('org', options.org)
  return `/api/v2/write?${params.toString()}`
}

/**
 * Writes readings and resolves once InfluxDB answered 2xx. The client is used for what it does
 * well (line protocol escaping; gzip above 1 kB when InfluxDB is not on this machine), not for its buffering: a WriteApi shared by
 * concurrent callers would let one caller's flush() send (or miss) another's lines, and a buffer
 * that reaches batchSize flushes on its own and swallows the error (WriteApiImpl WriteBuffer.add).
 * So each call gets its own WriteApi sized to its chunk, with retries off — the durable queue
 * owns retrying.
 */
export class InfluxWriter {
  private readonly client: InfluxDB

  // gzip pays over a network; to an InfluxDB on this machine it only costs CPU twice (the hub
  // compresses, influxd inflates) on the cores both share.
  private readonly gzipThreshold: number
  // This writer's escaped tag names: no other store's readings fill or evict them.
  private readonly lines = new LineEncoder()

  constructor (private readonly options: InfluxConnectionOptions, private readonly path: string) {
    this.client = new InfluxDB({ url: options.url.replace(/\/+$/, ''), token: options.token, timeout: options.timeoutMs ?? 10_000 })
    this.gzipThreshold = isLoopback(new URL(options.url).hostname) ? Number.POSITIVE_INFINITY : 1000
  }

  async write (readings: readonly Reading[]): Promise<void> {
    for (let start = 0; start < readings.length; start += MAX_WRITE_BATCH) {
      await this.writeChunk(readings.slice(start, start + MAX_WRITE_BATCH).map(this.lines.line))
    }
  }

  /** Any points (the hourly rollup, rollup.ts), through the same path as readings. */
  async writePoints (points: readonly Point[]): Promise<void> {
    for (let start = 0; start < points.length; start += MAX_WRITE_BATCH) {
      await this.writeChunk(points.slice(start, start + MAX_WRITE_BATCH))
    }
  }

  private async writeChunk (records: readonly Point[] | readonly string[]): Promise<void> {
    const api: WriteApi = this.client.getWriteApi('', this.options.database, 'ms', {
      batchSize: records.length + 1,
      maxBatchBytes: Number.MAX_SAFE_INTEGER,
      flushInterval: 0,
      maxRetries: 0,
      gzipThreshold: this.gzipThreshold,
      // Returning a rejection takes over the outcome, so the client neither retries nor logs
      // to the console on its own (WriteApiImpl.sendBatch, `onRetry`).
      writeFailed: (error) => Promise.reject(asWriteError(error))
    })
    api.path = this.path
    try {
      if (typeof records[0] === 'string') api.writeRecords(records as string[])
      else api.writePoints(records as Point[])
      await api.flush()
    } finally {
      api.dispose()
    }
  }
}

function asWriteError (error: Error): InfluxWriteError {
  if (error instanceof HttpError) {
    const json = error.json as { error?: unknown, message?: unknown, data?: unknown } | undefined
    const message = typeof json?.error === 'string' ? json.error + rejectedLine(json.data) : typeof json?.message === 'string' ? json.message : (error.body ?? error.message)
    // The client parses only a delay in seconds (an HTTP-date gives 0, then our own backoff applies).
    const retryAfterS = error.retryAfter()
    return new InfluxWriteError(error.statusCode, message, { cause: error, ...(retryAfterS > 0 ? { retryAfterMs: retryAfterS * 1000 } : {}) })
  }
  return new InfluxWriteError(undefined, error.message, { cause: error })
}

/**
 * 3.x says why a line was refused in `data` beside a generic `error` ("partial write of line
 * protocol occurred"; docs.influxdata.com/influxdb3/core/write-data/troubleshoot): the first
 * one, so a dead letter says why (the drainer bisects down to single lines, so it is that line's).
 */
function rejectedLine (data: unknown): string {
  const first: unknown = Array.isArray(data) ? data[0] : undefined
  if (typeof first !== 'object' || first === null) return ''
  const { line_number: line, error_message: reason } = first as { line_number?: unknown, error_message?: unknown }
  if (typeof reason !== 'string') return ''
  return typeof line === 'number' ? `: line ${line}: ${reason}` : `: ${reason}`
}

function isLoopback (hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}
