import { parseDuration } from '../domain/duration.ts'
import { CliError } from './admin-api-client.ts'

/** What a command gets: the API, its positional id, and the flags it was given. */
export interface CommandInput {
  call: (method: string, path: string, body?: unknown) => Promise<unknown>
  positionals: readonly string[]
  values: Record<string, string | boolean | undefined>
  now: () => number
}

// The JSON field each flag sets, so that the API's validation errors can name the flag instead.
export const FLAG_OF_FIELD: Record<string, string> = {
  id: '--id', name: '--name', sector: '--sector', member: '--member', format: '--format', topic: '--topic',
  floorArea: '--floor-area', seats: '--seats', rooms: '--rooms', sharing: '--no-sharing',
  expiresAt: '--expires', maxJoins: '--max-joins', keepMembers: '--keep-members', keepData: '--no-keep-data'
}

export const fieldName = (field: string): string => FLAG_OF_FIELD[field] ?? field

const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
const text = (value: string | boolean | undefined): string | undefined => typeof value === 'string' ? value : undefined

/** A flag that takes a number: passed on as a number when it is one, as typed otherwise (the API then names it). */
function numeric (value: string | boolean | undefined): number | string | undefined {
  if (typeof value !== 'string') return undefined
  return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value
}

/** `--expires 3h` (from now) or an ISO 8601 date. */
function expiry (value: string | boolean | undefined, now: number): number | string | undefined {
  if (typeof value !== 'string') return undefined
  const ms = parseDuration(value)
  return ms === undefined ? value : now + ms
}

function id (input: CommandInput): string {
  const value = input.positionals[2]
  if (value === undefined || value === '') throw new CliError(`an ID is required: tsudoi ${input.positionals.slice(0, 2).join(' ')} ID`)
  return encodeURIComponent(value)
}

export const commands: Record<string, (input: CommandInput) => Promise<unknown>> = {
  'member add': ({ call, values }) => call('POST', '/api/admin/members', defined({
    id: text(values.id), name: text(values.name), sector: text(values.sector), floorArea: numeric(values['floor-area']),
    seats: numeric(values.seats), rooms: numeric(values.rooms), sharing: values['no-sharing'] === true ? false : undefined
  })),
  'member list': ({ call }) => call('GET', '/api/admin/members'),
  'member rm': (input) => input.call('DELETE', `/api/admin/members/${id(input)}${input.values.purge === true ? '?purge=1' : ''}`),
  'member rotate-key': (input) => input.call('POST', `/api/admin/members/${id(input)}/access-key`),
  'device add': ({ call, values }) => call('POST', '/api/admin/devices', defined({
    id: text(values.id), member: text(values.member), name: text(values.name), format: text(values.format), topic: text(values.topic)
  })),
  'device list': ({ call, values }) => call('GET', `/api/admin/devices${typeof values.member === 'string' ? `?member=${encodeURIComponent(values.member)}` : ''}`),
  'device rm': (input) => input.call('DELETE', `/api/admin/devices/${id(input)}`),
  'device rotate-token': (input) => input.call('POST', `/api/admin/devices/${id(input)}/token`),
  'workshop add': ({ call, values, now }) => call('POST', '/api/admin/workshops', defined({
    name: text(values.name), expiresAt: expiry(values.expires, now()), sector: text(values.sector), maxJoins: numeric(values['max-joins']),
    keepMembers: values['keep-members'] === true ? true : undefined, keepData: values['no-keep-data'] === true ? false : undefined
  })),
  'workshop list': ({ call }) => call('GET', '/api/admin/workshops'),
  'workshop end': (input) => input.call('PATCH', `/api/admin/workshops/${id(input)}`, { expiresAt: input.now() })
}
