import { z } from 'zod'
import { memberPatchSchema, newDeviceSchema, newMemberSchema } from '../registry/inputs.ts'
import { deviceStatusSchema, memberSchema } from './common.ts'

// The organizer's API (server/http/routes/admin.ts). The bodies are the registry's own
// input schemas (server/registry/inputs.ts), so the API and the CLI accept the same thing.
export { memberPatchSchema, newDeviceSchema, newMemberSchema }

export const createdMemberSchema = memberSchema.extend({ accessKey: z.string().describe('shown once; only its hash is kept') }).describe('the new member with its access key')
export const adminMemberSchema = memberSchema.extend({ devices: z.number().describe('how many devices') }).meta({ id: 'AdminMember' })
export type AdminMember = z.infer<typeof adminMemberSchema>
export const adminMembersSchema = z.object({ members: z.array(adminMemberSchema) }).describe('every member')
export const memberDetailSchema = memberSchema.extend({ devices: z.array(deviceStatusSchema) }).describe('the member and its devices')
export const adminDevicesSchema = z.object({ devices: z.array(deviceStatusSchema) }).describe('the devices')
export const accessKeySchema = z.object({ accessKey: z.string() }).describe('the new access key; the old one stops working')
export const tokenSchema = z.object({ token: z.string() }).describe('the new device token; the old one stops working')

export const deleteMemberQuery = z.object({ purge: z.enum(['0', '1']).optional().describe('1: also delete its readings') })
export const devicesQuery = z.object({ member: z.string().optional() })
