import { z } from 'zod'
import { displayName } from '../domain/display-name.ts'
import { newWorkshopSchema, workshopPatchSchema } from '../registry/workshops.ts'
import { deviceCredentialsSchema, deviceFormatSchema, sectorSchema } from './common.ts'

// Workshops (server/http/routes/workshops.ts): the bodies are the registry's own schemas.
export { newWorkshopSchema, workshopPatchSchema }

export const joinBody = z.object({
  code: z.string().trim().min(4).max(16),
  name: displayName(),
  sector: sectorSchema.optional(),
  deviceName: displayName().optional(),
  format: deviceFormatSchema.default('auto')
}).strict()

export const joinCodeParams = z.object({ code: z.string().min(4).max(16) })
export const qrParams = z.object({ id: z.string().min(1).max(64), format: z.enum(['svg', 'png']) })

export const workshopSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  sector: z.string().nullable(),
  expiresAt: z.number(),
  maxJoins: z.number().nullable(),
  joins: z.number(),
  keepMembers: z.boolean(),
  keepData: z.boolean(),
  ended: z.boolean(),
  createdAt: z.number()
}).meta({ id: 'Workshop', description: 'a workshop' })
export type Workshop = z.infer<typeof workshopSchema>

export const createdWorkshopSchema = workshopSchema.extend({ joinUrl: z.string(), qr: z.string().describe('path of the QR code (SVG)') }).describe('the new workshop and its join URL')
export const workshopListItemSchema = workshopSchema.extend({ joinUrl: z.string(), members: z.number() })
export const workshopsSchema = z.object({ workshops: z.array(workshopListItemSchema) }).describe('every workshop')

export const joinInfoSchema = z.object({ name: z.string(), sector: z.string().nullable(), expiresAt: z.number(), open: z.boolean() }).describe('what the join code opens')
export type JoinInfo = z.infer<typeof joinInfoSchema>

export const joinedSchema = z.object({
  workshop: z.object({ id: z.string(), name: z.string(), expiresAt: z.number() }),
  member: z.object({ id: z.string(), name: z.string(), sector: sectorSchema, accessKey: z.string() }),
  device: deviceCredentialsSchema
}).describe('the new member (with its access key) and its device')
export type Joined = z.infer<typeof joinedSchema>
