import * as z from 'zod/mini'

// The shapes the dashboard relies on (docs/api.md, server/compare/). Loose objects: a field
// the hub adds later must not break an older dashboard; a missing one it needs must.
const num = z.number()
const maybeNum = z.optional(z.nullable(z.number()))

export const memberRef = z.looseObject({ id: z.string(), name: z.string(), sector: z.string() })

export const sessionSchema = z.looseObject({
  role: z.enum(['member', 'admin', 'anonymous']),
  member: z.optional(memberRef)
})
export type Session = z.infer<typeof sessionSchema>

export const deviceStatusSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  format: z.string(),
  topic: z.string(),
  lastSeen: z.nullable(num),
  online: z.boolean(),
  /** The latest battery level reported in the last 7 days, or null. */
  battery: z.nullable(num)
})
export type DeviceStatus = z.infer<typeof deviceStatusSchema>

export const meSchema = z.looseObject({
  member: z.looseObject({
    id: z.string(), name: z.string(), sector: z.string(), floorArea: maybeNum, seats: maybeNum, rooms: maybeNum
  }),
  devices: z.array(deviceStatusSchema),
  /** Where devices connect, as the hub advertises it (no guessing from the page's address). */
  mqtt: z.looseObject({ host: z.string(), port: num, wsUrl: z.string() })
})
export type Me = z.infer<typeof meSchema>

export const metricsSchema = z.looseObject({
  metrics: z.array(z.looseObject({ metric: z.string(), unit: z.string(), kind: z.string() }))
})

export const seriesPoint = z.looseObject({ time: num, mean: num, min: num, max: num, count: num })
export type SeriesPoint = z.infer<typeof seriesPoint>
export const seriesSchema = z.looseObject({ metric: z.string(), unit: z.string(), points: z.array(seriesPoint) })

export const refusalSchema = z.looseObject({ device: z.string(), code: z.string(), message: z.string(), topic: z.string(), time: num })
export type Refusal = z.infer<typeof refusalSchema>
export const errorsSchema = z.looseObject({ errors: z.array(refusalSchema) })

/** The hub's copy-paste set-up per firmware, filled in with a new device's credentials (server/http/device-setup.ts). */
export const setupSchema = z.looseObject({
  tasmota: z.string(), esphome: z.string(), shelly: z.string(), arduino: z.string(), mosquittoPub: z.string(),
  // Only for a Zigbee2MQTT bridge: its configuration.yaml with the bridge's own base_topic.
  zigbee2mqtt: z.optional(z.string())
})
export type SetupBlocks = z.infer<typeof setupSchema>

export const deviceCredentialsSchema = z.looseObject({
  id: z.string(),
  member: z.string(),
  name: z.string(),
  format: z.string(),
  topic: z.string(),
  token: z.string(),
  mqtt: z.looseObject({
    host: z.string(),
    port: num,
    wsUrl: z.string(),
    username: z.string(),
    password: z.string(),
    topic: z.string(),
    errorsTopic: z.string()
  }),
  setup: setupSchema
})
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>

// Workshops (docs/api.md, "Workshops").
export const joinInfoSchema = z.looseObject({ name: z.string(), sector: z.nullable(z.string()), expiresAt: num, open: z.boolean() })
export type JoinInfo = z.infer<typeof joinInfoSchema>
export const joinedSchema = z.looseObject({
  workshop: z.looseObject({ id: z.string(), name: z.string(), expiresAt: num }),
  member: z.looseObject({ id: z.string(), name: z.string(), sector: z.string(), accessKey: z.string() }),
  device: deviceCredentialsSchema
})
export type Joined = z.infer<typeof joinedSchema>
export const workshopSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  sector: z.nullable(z.string()),
  expiresAt: num,
  maxJoins: z.nullable(num),
  joins: num,
  keepMembers: z.boolean(),
  keepData: z.boolean(),
  ended: z.boolean(),
  joinUrl: z.optional(z.string())
})
export type Workshop = z.infer<typeof workshopSchema>
export const workshopsSchema = z.looseObject({ workshops: z.array(workshopSchema) })

/**
 * One bucket of a comparison, a stored release (docs/privacy.md): figures exist only when
 * enough members contributed, the count is a band, and a suppressed or pending bucket says
 * only that.
 */
export const compareBucket = z.looseObject({
  time: num,
  /** The band's lower edge: at least this many members. */
  members: z.optional(num),
  membersBand: z.optional(z.string()),
  suppressed: z.optional(z.boolean()),
  pending: z.optional(z.boolean()),
  meanInterval: z.optional(z.tuple([num, num])),
  p10: maybeNum,
  p25: maybeNum,
  p50: maybeNum,
  p75: maybeNum,
  p90: maybeNum,
  mean: maybeNum
})
export type CompareBucket = z.infer<typeof compareBucket>

export const compareSchema = z.looseObject({
  metric: z.optional(z.string()),
  unit: z.optional(z.string()),
  k: z.optional(num),
  buckets: z.array(compareBucket),
  me: z.optional(z.nullable(z.looseObject({
    points: z.array(z.looseObject({ time: num, value: num, percentile: maybeNum })),
    summary: z.optional(z.nullable(z.looseObject({
      /** Share (%) of peers above the member over the window: "lower than that many". */
      lowerThan: maybeNum,
      percentile: maybeNum,
      /** % above (+) or below (−) the published mean: the standing a cohort under 10 members allows (no quantiles). */
      versusMean: maybeNum,
      peers: z.optional(num),
      buckets: z.optional(num)
    })))
  })))
})
export type Comparison = z.infer<typeof compareSchema>

export const healthSchema = z.looseObject({
  status: z.string(),
  store: z.string(),
  uptimeS: num,
  devicesOnline: num,
  readingsLastMinute: num,
  refused: z.optional(z.record(z.string(), num)),
  queue: z.optional(z.looseObject({ depth: num }))
})
export type Health = z.infer<typeof healthSchema>

export const adminMember = z.looseObject({
  id: z.string(), name: z.string(), sector: z.string(), sharing: z.boolean(),
  floorArea: maybeNum, seats: maybeNum, rooms: maybeNum, devices: z.optional(num)
})
export type AdminMember = z.infer<typeof adminMember>
export const adminMembersSchema = z.looseObject({ members: z.array(adminMember) })
export const adminDevice = z.looseObject({
  id: z.string(), member: z.string(), name: z.string(), format: z.string(), topic: z.string(),
  lastSeen: z.nullable(num), online: z.optional(z.boolean())
})
export type AdminDevice = z.infer<typeof adminDevice>
export const adminDevicesSchema = z.looseObject({ devices: z.array(adminDevice) })
export const accessKeySchema = z.looseObject({ accessKey: z.string() })
export const tokenSchema = z.looseObject({ token: z.string() })
export const createdMemberSchema = z.looseObject({ id: z.string(), accessKey: z.string() })

// Live stream events (GET /api/stream).
export const readingEvent = z.looseObject({ time: num, device: z.string(), metric: z.string(), value: num })
export type ReadingEvent = z.infer<typeof readingEvent>
export const deviceEvent = z.looseObject({ id: z.string(), online: z.boolean(), lastSeen: z.nullable(num) })
export const communityEvent = z.looseObject({ devicesOnline: num, readingsLastMinute: num, members: z.optional(num) })
export type CommunityEvent = z.infer<typeof communityEvent>

// GET /api/community (server/compare/community.ts). Sectors with fewer than k members are
// left out of bySector by the hub; the live counters then tick from the stream.
export const communitySchema = z.looseObject({
  members: z.looseObject({ total: num, bySector: z.record(z.string(), num) }),
  comparable: z.array(z.looseObject({ metric: z.string(), sector: z.string(), members: num })),
  k: num,
  devicesOnline: num,
  readingsLastMinute: num
})
export type Community = z.infer<typeof communitySchema>
export type ComparablePair = Community['comparable'][number]
/** The hub's name for "every sector" in a comparable pair. */
export const ALL_SECTORS = 'all'

export const readingsSchema = z.looseObject({ readings: z.array(readingEvent) })

// Alerts (docs/alerts.md): the fields the alerts page reads.
export const alertRuleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  device: z.nullable(z.string()),
  metric: z.nullable(z.string()),
  condition: z.looseObject({ type: z.string(), value: z.nullable(num), minutes: num }),
  channels: z.array(z.looseObject({ type: z.string() })),
  enabled: z.boolean(),
  state: z.enum(['ok', 'pending', 'firing']),
  acknowledged: z.boolean()
})
export type AlertRule = z.infer<typeof alertRuleSchema>
export const alertRulesSchema = z.looseObject({ rules: z.array(alertRuleSchema) })
export const createdAlertRuleSchema = z.looseObject({ id: z.string(), name: z.string(), secret: z.string() })
export const alertEventSchema = z.looseObject({
  id: z.string(),
  rule: z.string(),
  name: z.string(),
  kind: z.enum(['fired', 'repeated', 'cleared', 'acknowledged']),
  device: z.string(),
  metric: z.nullable(z.string()),
  value: z.nullable(num),
  time: num,
  deliveries: z.array(z.looseObject({ channel: z.string(), status: z.enum(['pending', 'sent', 'dead', 'suppressed']) }))
})
export type AlertEvent = z.infer<typeof alertEventSchema>
export const alertEventsSchema = z.looseObject({ events: z.array(alertEventSchema) })
