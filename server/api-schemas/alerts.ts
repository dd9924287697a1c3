import { z } from 'zod'
import { displayName } from '../domain/display-name.ts'

// Alert rules, their events and deliveries (server/alerts/, server/http/routes/alerts.ts, docs/alerts.md).

const metricName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'metric name must match [a-z][a-z0-9_]{0,63}')
const deviceId = z.string().min(1).max(64)
/** A week at most: a longer silence is not an alert any more. Fractions allowed (0.5 = 30 s). */
const minutes = z.number().min(0).max(10_080)

export const conditionTypes = ['above', 'below', 'rate', 'silent', 'battery', 'offline'] as const
export type ConditionType = typeof conditionTypes[number]

export const conditionSchema = z.object({
  type: z.enum(conditionTypes),
  value: z.number().optional().describe('the threshold: above/below in the metric\'s unit, rate in the metric\'s unit per minute, battery in %'),
  minutes: minutes.optional().describe('above/below/battery: for at least this long; silent: no reading for this long; offline: offline for this long (default 0)')
}).strict()

/** A webhook URL: http or https only, no credentials in it (server/alerts/webhook-url.ts checks the address when sending). */
const webhookUrl = z.string().max(2048).refine((text) => {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  } catch {
    return false
  }
}, 'must be an http:// or https:// URL without user:password')

/** LINE user, group or room id (developers.line.biz, Messaging API reference, "Send push message": `to`). */
const lineTarget = z.string().regex(/^[UCR][0-9a-f]{32}$/, 'a LINE user, group or room id (U, C or R and 32 hex digits)')

export const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook'), url: webhookUrl }).strict(),
  z.object({ type: z.literal('email'), to: z.email().max(254) }).strict(),
  z.object({ type: z.literal('line'), to: lineTarget }).strict(),
  z.object({ type: z.literal('mqtt') }).strict()
])
export type Channel = z.infer<typeof channelSchema>
export const MAX_CHANNELS = 5

const ruleFields = {
  name: displayName(),
  device: deviceId.optional().describe('one of the member\'s devices; omitted: each of its devices'),
  metric: metricName.optional().describe('required for above, below, rate and silent; battery uses "battery"; offline needs none'),
  condition: conditionSchema,
  channels: z.array(channelSchema).min(1).max(MAX_CHANNELS),
  hysteresis: z.number().min(0).max(1e9).optional().describe('above/below/rate/battery clear only once back by this margin (default 0)'),
  repeatMinutes: z.number().min(1).max(10_080).optional().describe('notify again while firing and not acknowledged'),
  enabled: z.boolean().optional()
}

export const newAlertRuleSchema = z.object(ruleFields).strict()
export type NewAlertRule = z.infer<typeof newAlertRuleSchema>

export const alertRulePatchSchema = z.object({
  name: ruleFields.name.optional(),
  condition: conditionSchema.optional(),
  channels: ruleFields.channels.optional(),
  hysteresis: ruleFields.hysteresis.nullable(),
  repeatMinutes: ruleFields.repeatMinutes.nullable(),
  enabled: z.boolean().optional()
}).strict()
export type AlertRulePatch = z.infer<typeof alertRulePatchSchema>

export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  device: z.string().nullable(),
  metric: z.string().nullable(),
  condition: z.object({ type: z.enum(conditionTypes), value: z.number().nullable(), minutes: z.number() }),
  channels: z.array(channelSchema),
  hysteresis: z.number(),
  repeatMinutes: z.number().nullable(),
  enabled: z.boolean(),
  createdAt: z.number(),
  state: z.enum(['ok', 'pending', 'firing']).describe('the worst state over the rule\'s devices'),
  acknowledged: z.boolean()
}).meta({ id: 'AlertRule' })
export type AlertRuleView = z.infer<typeof alertRuleSchema>

export const createdAlertRuleSchema = alertRuleSchema.extend({
  secret: z.string().describe('the webhook signing key (HMAC-SHA256); shown this once')
})
export const alertRulesSchema = z.object({ rules: z.array(alertRuleSchema) })
export const alertIdParams = z.object({ id: z.string().min(1).max(64) })

export const deliveryStatuses = ['pending', 'sent', 'dead', 'suppressed'] as const
export const deliverySchema = z.object({
  channel: z.enum(['webhook', 'email', 'line', 'mqtt']),
  status: z.enum(deliveryStatuses),
  attempts: z.number(),
  error: z.string().nullable().describe('why the last attempt failed'),
  sentAt: z.number().nullable()
})
export const alertEventSchema = z.object({
  id: z.string(),
  rule: z.string(),
  name: z.string(),
  kind: z.enum(['fired', 'repeated', 'cleared', 'acknowledged']),
  device: z.string(),
  metric: z.string().nullable(),
  value: z.number().nullable(),
  time: z.number(),
  deliveries: z.array(deliverySchema)
}).meta({ id: 'AlertEvent' })
export const alertEventsSchema = z.object({ events: z.array(alertEventSchema).describe('newest first, at most 200') })
export const alertEventsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) })

export const deadLettersSchema = z.object({
  deadLetters: z.array(z.object({
    id: z.string(),
    member: z.string(),
    rule: z.string(),
    event: z.string(),
    channel: z.enum(['webhook', 'email', 'line', 'mqtt']),
    target: z.string().describe('where it was going, without path or query (a webhook URL may carry a secret)'),
    attempts: z.number(),
    error: z.string().nullable(),
    createdAt: z.number(),
    lastAttemptAt: z.number().nullable()
  }))
})
