import { z } from 'zod'
import { deviceFormats } from '../domain/device-formats.ts'
import { slugSchema } from './ids.ts'
import { sectors } from '../domain/sectors.ts'
import { MAX_TOPIC_LENGTH } from '../domain/topic-trees.ts'
import { displayName } from '../domain/display-name.ts'
import { ALERTS_LEVEL } from '../domain/alert-topics.ts'

// What the admin API and the CLI accept for members and devices; the types come from here.
const normalizers = {
  floorArea: z.number().positive().max(1_000_000).optional(),
  seats: z.number().int().positive().max(100_000).optional(),
  rooms: z.number().int().positive().max(100_000).optional()
}

export const newMemberSchema = z.object({
  id: slugSchema.optional(),
  name: displayName(),
  sector: z.enum(sectors),
  sharing: z.boolean().default(true),
  ...normalizers
}).strict()
export type NewMember = z.input<typeof newMemberSchema>

export const memberPatchSchema = z.object({
  name: displayName().optional(),
  sector: z.enum(sectors).optional(),
  sharing: z.boolean().optional(),
  floorArea: normalizers.floorArea.nullable(),
  seats: normalizers.seats.nullable(),
  rooms: normalizers.rooms.nullable()
}).strict()
export type MemberPatch = z.infer<typeof memberPatchSchema>

export const newDeviceSchema = z.object({
  // `alerts` would own tsudoi/<member>/alerts/, where the hub publishes the member's alert states (server/domain/alert-topics.ts).
  id: slugSchema.refine((id) => id !== ALERTS_LEVEL, 'alerts is kept for the member\'s alert topics (tsudoi/<member>/alerts/)').optional(),
  member: slugSchema,
  name: displayName(),
  format: z.enum(deviceFormats).default('json'),
  // The firmware's own topic name (Tasmota Topic, ESPHome topic_prefix, Z2M base_topic).
  // Its shape, reserved roots and other devices' trees are checked when it is claimed
  // (server/registry/device-topic.ts), with a reason that names the firmware setting.
  topic: z.string().max(4 * MAX_TOPIC_LENGTH).optional()
}).strict()
export type NewDevice = z.input<typeof newDeviceSchema>
