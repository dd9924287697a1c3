import { z } from 'zod'
import { deviceFormats } from '../domain/device-formats.ts'
import { sectors } from '../domain/sectors.ts'

// The HTTP contract's building blocks (docs/api.md). Response objects are plain `z.object`:
// the serializer (server/http/zod-compilers.ts) sends only the fields listed here, so a
// field added to a registry row does not reach the API until it is added to its schema.

/** Every error: `{error: {code, message, details?}}` with the status of its code (server/errors.ts). */
export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('a stable code from the catalogue, e.g. VALIDATION_FAILED'),
    message: z.string(),
    details: z.optional(z.unknown().describe('VALIDATION_FAILED: {fields: [{field, message}]}'))
  })
}).meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof errorBody>

/** A member's or device's id in a path. */
export const idParams = z.object({ id: z.string().min(1).max(64) })

export const sectorSchema = z.enum(sectors)
export const deviceFormatSchema = z.enum(deviceFormats)
const ms = z.number().describe('epoch ms')

/** A member as the registry holds it (server/registry/registry.ts, Member): the name stays private to the member and the organizer. */
export const memberSchema = z.object({
  id: z.string(),
  name: z.string(),
  sector: sectorSchema,
  sharing: z.boolean(),
  floorArea: z.number().nullable(),
  seats: z.number().nullable(),
  rooms: z.number().nullable(),
  workshop: z.string().nullable().describe('the workshop the member joined through, if any'),
  createdAt: ms
}).meta({ id: 'Member', description: 'a member' })
export type Member = z.infer<typeof memberSchema>

/** A device as registered (no token: only its hash is kept). */
export const deviceSchema = z.object({
  id: z.string().describe('also its MQTT username'),
  member: z.string(),
  name: z.string(),
  format: deviceFormatSchema,
  topic: z.string().describe("the firmware's own topic name"),
  createdAt: ms,
  lastSeen: ms.nullable()
})

/** A device with its live status (server/http/routes/admin.ts, withStatus). */
export const deviceStatusSchema = deviceSchema.extend({ online: z.boolean() }).meta({ id: 'DeviceStatus' })
export type DeviceStatus = z.infer<typeof deviceStatusSchema>

/** Copy-paste set-up per firmware (server/http/device-setup.ts). */
export const setupSchema = z.object({
  mosquittoPub: z.string(),
  tasmota: z.string(),
  esphome: z.string(),
  shelly: z.string(),
  arduino: z.string(),
  zigbee2mqtt: z.optional(z.string().describe("a Zigbee2MQTT bridge's configuration.yaml `mqtt:` section"))
})
export type SetupBlocks = z.infer<typeof setupSchema>

/** The one answer that shows a device's token (server/http/device-credentials.ts); afterwards only its hash exists. */
export const deviceCredentialsSchema = deviceSchema.extend({
  token: z.string(),
  mqtt: z.object({
    host: z.string(),
    port: z.number(),
    wsPath: z.string(),
    wsUrl: z.string(),
    username: z.string(),
    password: z.string(),
    topic: z.string(),
    errorsTopic: z.string()
  }),
  setup: setupSchema
}).meta({ id: 'DeviceCredentials', description: 'the new device with its token and copy-paste set-up (the only answer that shows the token)' })
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>

/** An answer without a body (204). */
export const noContent = z.undefined().describe('no content')
