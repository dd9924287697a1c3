import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type * as zm from 'zod/mini'
import * as dashboard from '../../dashboard/src/api/schemas.ts'
import type * as contract from '../../server/api-schemas/index.ts'
import { provision, startTestHub } from '../helpers/hub.ts'

// The dashboard checks every answer against its own small zod/mini schemas
// (dashboard/src/api/schemas.ts: loose, only the fields it reads) so that its bundle carries
// no copy of the server's schemas. What keeps the two from drifting: every answer type of the
// contract (server/api-schemas/) must be one the dashboard's schema accepts. These are
// checked by `tsc --noEmit` (the type assertions below) and at run time against a real hub.

type Sent<S extends z.ZodType> = z.output<S>
type Read<S extends zm.ZodMiniType> = zm.infer<S>

describe('the dashboard reads what the contract sends', () => {
  it('types: every answer of the contract is assignable to the dashboard\'s type of it', () => {
    expectTypeOf<Sent<typeof contract.sessionSchema>>().toExtend<Read<typeof dashboard.sessionSchema>>()
    expectTypeOf<Sent<typeof contract.meSchema>>().toExtend<Read<typeof dashboard.meSchema>>()
    expectTypeOf<Sent<typeof contract.memberMetricsSchema>>().toExtend<Read<typeof dashboard.metricsSchema>>()
    expectTypeOf<Sent<typeof contract.seriesSchema>>().toExtend<Read<typeof dashboard.seriesSchema>>()
    expectTypeOf<Sent<typeof contract.refusalsSchema>>().toExtend<Read<typeof dashboard.errorsSchema>>()
    expectTypeOf<Sent<typeof contract.readingsSchema>>().toExtend<Read<typeof dashboard.readingsSchema>>()
    expectTypeOf<Sent<typeof contract.deviceCredentialsSchema>>().toExtend<Read<typeof dashboard.deviceCredentialsSchema>>()
    expectTypeOf<Sent<typeof contract.joinInfoSchema>>().toExtend<Read<typeof dashboard.joinInfoSchema>>()
    expectTypeOf<Sent<typeof contract.joinedSchema>>().toExtend<Read<typeof dashboard.joinedSchema>>()
    expectTypeOf<Sent<typeof contract.workshopSchema>>().toExtend<Read<typeof dashboard.workshopSchema>>()
    expectTypeOf<Sent<typeof contract.workshopsSchema>>().toExtend<Read<typeof dashboard.workshopsSchema>>()
    expectTypeOf<Sent<typeof contract.compareSchema>>().toExtend<Read<typeof dashboard.compareSchema>>()
    expectTypeOf<Sent<typeof contract.communitySchema>>().toExtend<Read<typeof dashboard.communitySchema>>()
    expectTypeOf<Sent<typeof contract.healthSchema>>().toExtend<Read<typeof dashboard.healthSchema>>()
    expectTypeOf<Sent<typeof contract.adminMembersSchema>>().toExtend<Read<typeof dashboard.adminMembersSchema>>()
    expectTypeOf<Sent<typeof contract.adminDevicesSchema>>().toExtend<Read<typeof dashboard.adminDevicesSchema>>()
    expectTypeOf<Sent<typeof contract.createdMemberSchema>>().toExtend<Read<typeof dashboard.createdMemberSchema>>()
    expectTypeOf<Sent<typeof contract.accessKeySchema>>().toExtend<Read<typeof dashboard.accessKeySchema>>()
    expectTypeOf<Sent<typeof contract.tokenSchema>>().toExtend<Read<typeof dashboard.tokenSchema>>()
    expectTypeOf<Sent<typeof contract.alertRulesSchema>>().toExtend<Read<typeof dashboard.alertRulesSchema>>()
    expectTypeOf<Sent<typeof contract.createdAlertRuleSchema>>().toExtend<Read<typeof dashboard.createdAlertRuleSchema>>()
    expectTypeOf<Sent<typeof contract.alertEventsSchema>>().toExtend<Read<typeof dashboard.alertEventsSchema>>()
  })

  it('at run time: the hub\'s answers pass the dashboard\'s schemas', async () => {
    const t = await startTestHub()
    try {
      const alice = await provision(t, 'alice')
      const member = async (path: string) => (await t.api(path, { token: alice.member.accessKey })).body as unknown
      const checks: Array<[string, zm.ZodMiniType, unknown]> = [
        ['GET /api/session', dashboard.sessionSchema, await member('/api/session')],
        ['GET /api/me', dashboard.meSchema, await member('/api/me')],
        ['GET /api/me/metrics', dashboard.metricsSchema, await member('/api/me/metrics')],
        ['GET /api/me/series', dashboard.seriesSchema, await member('/api/me/series?metric=temperature')],
        ['GET /api/me/errors', dashboard.errorsSchema, await member('/api/me/errors')],
        ['GET /api/me/readings', dashboard.readingsSchema, await member('/api/me/readings')],
        ['GET /api/compare', dashboard.compareSchema, await member('/api/compare?metric=temperature')],
        ['GET /api/community', dashboard.communitySchema, await member('/api/community')],
        ['GET /api/health', dashboard.healthSchema, (await t.api('/api/health')).body],
        ['GET /api/admin/members', dashboard.adminMembersSchema, (await t.admin('/api/admin/members')).body],
        ['GET /api/admin/devices', dashboard.adminDevicesSchema, (await t.admin('/api/admin/devices')).body]
      ]
      const refused = checks.flatMap(([route, schema, body]) => {
        const result = schema.safeParse(body)
        return result.success ? [] : [`${route}: ${JSON.stringify(result.error.issues)}`]
      })
      expect(refused).toEqual([])
    } finally {
      await t.stop()
    }
  })
})
