// The hub's HTTP API as an organizer and a member use it (docs/api.md).

export interface BenchDevice {
  id: string
  member: string
  token: string
  topic: string
}

export interface BenchMember { id: string, sector: string, accessKey: string }

export const SECTORS = ['restaurant', 'retail', 'agriculture', 'accommodation', 'office'] as const

export class HubApi {
  constructor (readonly url: string, private readonly adminToken: string) {}

  async request<T = unknown> (path: string, options: { method?: string, body?: unknown, token?: string, timeoutMs?: number } = {}): Promise<T> {
    const headers: Record<string, string> = {}
    const token = options.token ?? this.adminToken
    if (token !== '') headers.authorization = `Bearer ${token}`
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.url}${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000)
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`)
    return (response.headers.get('content-type')?.includes('json') === true ? JSON.parse(text) : text) as T
  }

  /**
   * Registers `members` members with `devicesPerMember` devices each, `parallel` requests at a
   * time. Ids are `<prefix>m<i>` and `<prefix>m<i>-d<j>`; sectors rotate through SECTORS.
   */
  async provision (prefix: string, members: number, devicesPerMember: number, parallel = 8): Promise<{ members: BenchMember[], devices: BenchDevice[] }> {
    const memberList: BenchMember[] = []
    await pool(Array.from({ length: members }, (_, i) => i), parallel, async (i) => {
      const id = `${prefix}m${i}`
      const sector = SECTORS[i % SECTORS.length]!
      const body = await this.request<{ accessKey: string }>('/api/admin/members', { body: { id, name: `Bench member ${i}`, sector } })
      memberList[i] = { id, sector, accessKey: body.accessKey }
    })
    const devices: BenchDevice[] = []
    const jobs = memberList.flatMap((member, i) => Array.from({ length: devicesPerMember }, (_, j) => ({ member, index: i * devicesPerMember + j, id: `${member.id}-d${j}` })))
    await pool(jobs, parallel, async ({ member, index, id }) => {
      const body = await this.request<{ token: string, mqtt: { topic: string } }>('/api/admin/devices', { body: { id, member: member.id, name: `Bench device ${id}` } })
      devices[index] = { id, member: member.id, token: body.token, topic: `tsudoi/${member.id}/${id}/telemetry` }
    })
    return { members: memberList, devices }
  }

  async health (timeoutMs = 5000): Promise<{ status: string, store: string } & Record<string, unknown>> {
    return await this.request('/api/health', { token: '', timeoutMs })
  }

  /** The Prometheus text of /metrics as name{labels} → value. */
  async metrics (): Promise<Map<string, number>> {
    const text = await this.request<string>('/metrics', { token: '' })
    const out = new Map<string, number>()
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      const at = line.lastIndexOf(' ')
      out.set(line.slice(0, at), Number(line.slice(at + 1)))
    }
    return out
  }
}

/** Runs `work` over `items` with at most `parallel` at once. */
export async function pool<T> (items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const runners = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!)
  })
  await Promise.all(runners)
}
