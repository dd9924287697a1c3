import { z } from 'zod'
import { sectorSchema } from './common.ts'

/** A secret traded once for the HttpOnly session cookie (server/http/routes/session.ts). */
export const sessionBody = z.union([
  z.object({ accessKey: z.string().min(1).max(200) }).strict(),
  z.object({ adminToken: z.string().min(1).max(200) }).strict()
])

export const sessionSchema = z.union([
  z.object({ role: z.literal('member'), member: z.object({ id: z.string(), name: z.string(), sector: sectorSchema }) }),
  z.object({ role: z.enum(['admin', 'anonymous']) })
]).meta({ id: 'Session', description: 'who is signed in' })
export type Session = z.infer<typeof sessionSchema>
