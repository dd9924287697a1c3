import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// A real influxd for the benchmark: the one the integration tests use (test/helpers/influxd.ts),
// plus the queries the benchmark needs. Its pid is read from /proc (the helper does not expose it).

export { startInfluxd, type Influxd } from '../../test/helpers/influxd.ts'

export function influxdAvailable (): string | undefined {
  const bin = process.env.INFLUXD_BIN ?? 'influxd'
  const probe = spawnSync(bin, ['version'], { encoding: 'utf8' })
  if (probe.error === undefined && probe.status === 0) return probe.stdout.trim()
  return undefined
}

/** The pid of the influxd whose config lives in `dir` (the helper starts it with `-config <dir>/influxd.conf`). */
export function influxdPid (dir: string): number | undefined {
  const out = spawnSync('pgrep', ['-f', `influxd -config ${dir}/influxd.conf`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]
  const pid = Number(out)
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try { readFileSync(`/proc/${pid}/stat`); return pid } catch { return undefined }
}

export async function influxql (url: string, q: string, db?: string): Promise<Array<{ series?: Array<{ name: string, tags?: Record<string, string>, columns: string[], values: unknown[][] }>, error?: string }>> {
  const params = new URLSearchParams({ q, epoch: 'ms' })
  if (db !== undefined) params.set('db', db)
  const response = await fetch(`${url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(30_000) })
  const body = await response.json() as { results?: Array<{ series?: never[], error?: string }>, error?: string }
  const error = body.error ?? body.results?.find((r) => r.error !== undefined)?.error
  if (!response.ok || error !== undefined) throw new Error(`influxd ${response.status}: ${error ?? JSON.stringify(body).slice(0, 300)}`)
  return body.results ?? []
}

/** Points of measurement `reading` with from ≤ time ≤ to (epoch ms). */
export async function countPoints (url: string, db: string, from: number, to: number): Promise<number> {
  const results = await influxql(url, `SELECT COUNT("value") FROM "reading" WHERE time >= ${Math.floor(from)}ms AND time <= ${Math.ceil(to)}ms`, db)
  const value = results[0]?.series?.[0]?.values?.[0]?.[1]
  return typeof value === 'number' ? value : 0
}
