import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'

// `tsudoi <noun> <verb> [flags]`: does over the admin API what an organizer does in the
// dashboard, so it works against a local or a remote hub alike.
const USAGE = `Usage: tsudoi <command> [flags]

  member add --name NAME --sector SECTOR [--id ID] [--floor-area M2] [--seats N] [--rooms N] [--no-sharing]
  member list
  member rm ID [--purge]            (--purge also deletes its readings)
  member rotate-key ID
  device add --member ID --name NAME [--format json|plain|tasmota|esphome|shelly|zigbee2mqtt|homeassistant] [--topic T] [--id ID]
  device list [--member ID]
  device rm ID
  device rotate-token ID

Global flags:
  --url URL      hub HTTP address (default http://localhost:$TSUDOI_HTTP_PORT or :8080)
  --token TOKEN  admin token (default $TSUDOI_ADMIN_TOKEN, else $TSUDOI_DATA_DIR/admin-token)
  --json         print the raw JSON response`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    name: { type: 'string' }, sector: { type: 'string' }, id: { type: 'string' }, member: { type: 'string' },
    format: { type: 'string' }, topic: { type: 'string' }, 'floor-area': { type: 'string' }, seats: { type: 'string' },
    rooms: { type: 'string' }, 'no-sharing': { type: 'boolean' }, purge: { type: 'boolean' }
  }
})

const number = z.coerce.number().positive().optional()
const flags = z.object({ 'floor-area': number, seats: number, rooms: number }).parse(values)

function adminToken (): string {
  if (values.token) return values.token
  if (process.env.TSUDOI_ADMIN_TOKEN) return process.env.TSUDOI_ADMIN_TOKEN
  const file = join(process.env.TSUDOI_DATA_DIR ?? './data', 'admin-token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  throw new Error('no admin token: pass --token, set TSUDOI_ADMIN_TOKEN, or run from the hub\'s directory')
}

const baseUrl = values.url ?? `http://localhost:${process.env.TSUDOI_HTTP_PORT ?? '8080'}`

async function call (method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { authorization: `Bearer ${adminToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  const parsed = text === '' ? {} : JSON.parse(text)
  if (!response.ok) throw new Error(`${parsed.error?.code ?? response.status}: ${parsed.error?.message ?? text}`)
  return parsed
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
const id = (): string => positionals[2] ?? (() => { throw new Error('an ID is required') })()

const commands: Record<string, () => Promise<unknown>> = {
  'member add': () => call('POST', '/api/admin/members', defined({
    id: values.id, name: values.name, sector: values.sector, floorArea: flags['floor-area'], seats: flags.seats, rooms: flags.rooms,
    sharing: values['no-sharing'] ? false : undefined
  })),
  'member list': () => call('GET', '/api/admin/members'),
  'member rm': () => call('DELETE', `/api/admin/members/${encodeURIComponent(id())}${values.purge ? '?purge=1' : ''}`),
  'member rotate-key': () => call('POST', `/api/admin/members/${encodeURIComponent(id())}/access-key`),
  'device add': () => call('POST', '/api/admin/devices', defined({ id: values.id, member: values.member, name: values.name, format: values.format, topic: values.topic })),
  'device list': () => call('GET', `/api/admin/devices${values.member ? `?member=${encodeURIComponent(values.member)}` : ''}`),
  'device rm': () => call('DELETE', `/api/admin/devices/${encodeURIComponent(id())}`),
  'device rotate-token': () => call('POST', `/api/admin/devices/${encodeURIComponent(id())}/token`)
}

const command = commands[positionals.slice(0, 2).join(' ')]
if (values.help || command === undefined) {
  console.log(USAGE)
  process.exit(values.help ? 0 : 64)
}
try {
  const result = await command()
  console.log(values.json ? JSON.stringify(result, null, 2) : describe(result))
} catch (error) {
  console.error(`tsudoi: ${(error as Error).message}`)
  process.exit(1)
}

function describe (result: any): string {
  if (result.members) return result.members.map((m: any) => `${m.id}\t${m.sector}\t${m.name}\t${m.devices} device(s)`).join('\n') || '(no members)'
  if (result.devices) return result.devices.map((d: any) => `${d.id}\t${d.member}\t${d.format}\t${d.online ? 'online' : 'offline'}\t${d.name}`).join('\n') || '(no devices)'
  if (result.mqtt) return `device ${result.id} (member ${result.member})\n  MQTT username: ${result.mqtt.username}\n  MQTT password: ${result.token}   (shown only now)\n  topic:         ${result.mqtt.topic}`
  if (result.accessKey && result.id) return `member ${result.id} (${result.sector})\n  access key: ${result.accessKey}   (shown only now)`
  if (result.accessKey) return `new access key: ${result.accessKey}`
  if (result.token) return `new token: ${result.token}`
  return 'done'
}
