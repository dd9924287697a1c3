import { isIP } from 'node:net'
import type { AlertRulePatch, Channel, NewAlertRule } from '../api-schemas/alerts.ts'
import { canonicalOf, metricCatalog } from '../domain/metric-catalog.ts'
import { TsudoiError } from '../errors.ts'
import { isPrivateAddress } from './channels/address-policy.ts'
import type { AlertRule } from './rule.ts'
import type { RuleFields } from './rule-store.ts'

/** What a rule may name, from the hub: the member's devices and metrics, and which channels are set up. */
export interface RuleContext {
  member: string
  /** The device's member, or undefined when there is no such device. */
  ownerOf: (device: string) => string | undefined
  /** Metrics the member's devices have sent. */
  memberMetrics: () => Promise<string[]>
  channels: { email: boolean, line: boolean, privateWebhooks: boolean }
}

const invalid = (field: string, message: string): TsudoiError =>
  new TsudoiError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, message }] })

/**
 * A new rule, checked against what the member owns: a device must be one of its own (another
 * member's device answers exactly as a device that does not exist: 404), a metric one of the
 * catalogue or one its devices have sent; e-mail and LINE only when the hub has them set up.
 */
export async function checkNewRule (input: NewAlertRule, ctx: RuleContext): Promise<RuleFields> {
  const device = input.device ?? null
  if (device !== null && ctx.ownerOf(device) !== ctx.member) throw new TsudoiError('NOT_FOUND', `no device ${device} of yours`)
  const fields: RuleFields = {
    name: input.name,
    device,
    metric: input.metric ?? null,
    type: input.condition.type,
    value: input.condition.value ?? null,
    minutes: input.condition.minutes ?? 0,
    hysteresis: input.hysteresis ?? 0,
    repeatMinutes: input.repeatMinutes ?? null,
    channels: input.channels,
    enabled: input.enabled ?? true
  }
  return await checkFields(fields, ctx)
}

/** A change to an existing rule; device and metric stay what they were. */
export async function checkPatch (rule: AlertRule, patch: AlertRulePatch, ctx: RuleContext): Promise<RuleFields> {
  const condition = patch.condition
  const fields: RuleFields = {
    name: patch.name ?? rule.name,
    device: rule.device,
    metric: rule.metric,
    type: condition?.type ?? rule.type,
    value: condition === undefined ? rule.value : condition.value ?? null,
    minutes: condition === undefined ? rule.minutes : condition.minutes ?? 0,
    hysteresis: patch.hysteresis === undefined ? rule.hysteresis : patch.hysteresis ?? 0,
    repeatMinutes: patch.repeatMinutes === undefined ? rule.repeatMinutes : patch.repeatMinutes,
    channels: patch.channels ?? rule.channels,
    enabled: patch.enabled ?? rule.enabled
  }
  return await checkFields(fields, ctx)
}

async function checkFields (f: RuleFields, ctx: RuleContext): Promise<RuleFields> {
  const threshold = f.type === 'above' || f.type === 'below' || f.type === 'battery' || f.type === 'rate'
  if (threshold && f.value === null) throw invalid('condition.value', `a ${f.type} condition needs a value`)
  if (!threshold && f.value !== null) throw invalid('condition.value', `a ${f.type} condition takes no value`)
  if (f.type === 'battery' && (f.value! < 0 || f.value! > 100)) throw invalid('condition.value', 'a battery level is 0–100 %')
  if (f.type === 'rate' && f.value! <= 0) throw invalid('condition.value', 'a rate is a change per minute above 0')
  if (f.type === 'silent' && f.minutes <= 0) throw invalid('condition.minutes', 'a silent condition needs minutes above 0')
  if (!threshold && f.hysteresis !== 0) throw invalid('hysteresis', `a ${f.type} condition has no hysteresis`)
  if (f.type === 'offline' || f.type === 'battery') {
    const expected = f.type === 'battery' ? 'battery' : null
    if (f.metric !== null && f.metric !== expected) throw invalid('metric', `a ${f.type} condition ${expected === null ? 'takes no metric' : 'reads battery'}`)
  } else {
    if (f.metric === null) throw invalid('metric', `a ${f.type} condition needs a metric`)
    if (!Object.hasOwn(metricCatalog, canonicalOf(f.metric)) && !(await ctx.memberMetrics()).includes(f.metric)) {
      throw invalid('metric', `${f.metric} is neither a catalogue metric nor one your devices have sent`)
    }
  }
  f.channels.forEach((channel, i) => checkChannel(channel, `channels.${i}`, ctx))
  return f
}

function checkChannel (channel: Channel, field: string, ctx: RuleContext): void {
  if (channel.type === 'email' && !ctx.channels.email) throw invalid(field, 'this hub sends no e-mail (TSUDOI_SMTP_URL and TSUDOI_SMTP_FROM are not set)')
  if (channel.type === 'line' && !ctx.channels.line) throw invalid(field, 'this hub sends no LINE messages (TSUDOI_LINE_CHANNEL_TOKEN is not set)')
  if (channel.type === 'webhook' && !ctx.channels.privateWebhooks) {
    // Names are checked when sending (their address may change); an address is refused now.
    const host = new URL(channel.url).hostname.replace(/^\[|\]$/g, '')
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host))) {
      throw invalid(`${field}.url`, 'the hub sends webhooks to public addresses only (TSUDOI_ALERT_WEBHOOK_PRIVATE=on allows private ones)')
    }
  }
}
