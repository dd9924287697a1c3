import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { AlertRulePatch, AlertRuleView, Channel, NewAlertRule } from '../api-schemas/alerts.ts'
import type { Config } from '../config.ts'
import { TsudoiError } from '../errors.ts'
import type { EventBus } from '../event-bus.ts'
import type { Log } from '../log.ts'
import type { HubMetrics } from '../metrics.ts'
import { alertSchema } from './alert-schema.ts'
import { emailSender } from './channels/email.ts'
import { lineSender } from './channels/line.ts'
import { type RetainedPublish, mqttSender } from './channels/mqtt.ts'
import type { Sender } from './channels/sender.ts'
import { webhookSender } from './channels/webhook.ts'
import { DeliveryWorker } from './delivery-worker.ts'
import { AlertEvaluator } from './evaluator.ts'
import { NoticeRate } from './notice-rate.ts'
import { type EventView, Outbox } from './outbox.ts'
import type { AlertRule } from './rule.ts'
import { type RuleContext, checkNewRule, checkPatch } from './rule-input.ts'
import { RuleStore } from './rule-store.ts'
import { alertTopic } from '../domain/alert-topics.ts'

export interface AlertsDeps {
  config: Pick<Config, 'TSUDOI_SMTP_URL' | 'TSUDOI_SMTP_FROM' | 'TSUDOI_LINE_CHANNEL_TOKEN' | 'TSUDOI_LINE_API_BASE' | 'TSUDOI_ALERT_WEBHOOK_PRIVATE'
    | 'TSUDOI_ALERT_RETRY' | 'TSUDOI_ALERT_MAX_ATTEMPTS' | 'TSUDOI_TIMEZONE'>
  /** registry.db: the rules name its members and devices. */
  file: string
  bus: EventBus
  /** The device's member, or undefined. */
  ownerOf: (device: string) => string | undefined
  devicesOf: (member: string) => string[]
  isOnline: (device: string) => boolean
  memberMetrics: (member: string) => Promise<string[]>
  publish: RetainedPublish
  metrics?: Pick<HubMetrics, 'alertEvents' | 'alertDeliveries'>
  clock: () => number
  log: Log
}

/** Rules a member may hold (docs/alerts.md, limits). */
export const MAX_RULES_PER_MEMBER = 100
const TICK_MS = 1000
const KEEP_EVENTS_MS = 90 * 86_400_000

/**
 * Alerts as one extension of the hub (docs/alerts.md): rules and their state, the evaluator
 * fed by the event bus, the outbox and its delivery worker. The constructor only keeps its
 * dependencies; start() opens registry.db (a second connection, WAL) and subscribes.
 */
export class Alerts {
  private db: Database.Database | undefined
  private readonly rules: RuleStore
  private readonly outbox: Outbox
  private readonly evaluator: AlertEvaluator
  private readonly worker: DeliveryWorker
  private readonly email: ReturnType<typeof emailSender> | undefined
  private readonly unsubscribe: Array<() => void> = []
  private timers: NodeJS.Timeout[] = []

  constructor (private readonly deps: AlertsDeps) {
    const db = (): Database.Database => {
      if (this.db === undefined) throw new TsudoiError('INTERNAL', 'alerts are not started')
      return this.db
    }
    const { config } = deps
    this.rules = new RuleStore(db)
    this.outbox = new Outbox(db)
    this.evaluator = new AlertEvaluator({
      rules: this.rules,
      outbox: this.outbox,
      transaction: (fn) => db().transaction(fn)(),
      devicesOf: deps.devicesOf,
      isOnline: deps.isOnline,
      rate: new NoticeRate(),
      clock: deps.clock,
      log: deps.log,
      recorded: () => this.worker.kick(),
      noticed: (kind) => deps.metrics?.alertEvents.inc({ kind })
    })
    this.email = config.TSUDOI_SMTP_URL !== undefined && config.TSUDOI_SMTP_FROM !== undefined
      ? emailSender({ url: config.TSUDOI_SMTP_URL, from: config.TSUDOI_SMTP_FROM, timeZone: config.TSUDOI_TIMEZONE })
      : undefined
    const senders: Partial<Record<Channel['type'], Sender>> = {
      webhook: webhookSender({ allowPrivate: config.TSUDOI_ALERT_WEBHOOK_PRIVATE, clock: deps.clock }),
      mqtt: mqttSender(deps.publish),
      ...(this.email === undefined ? {} : { email: this.email.send }),
      ...(config.TSUDOI_LINE_CHANNEL_TOKEN === undefined
        ? {}
        : { line: lineSender({ base: config.TSUDOI_LINE_API_BASE, token: config.TSUDOI_LINE_CHANNEL_TOKEN, timeZone: config.TSUDOI_TIMEZONE }) })
    }
    this.worker = new DeliveryWorker({
      outbox: this.outbox,
      senders,
      missing: { email: 'TSUDOI_SMTP_URL is not set on this hub', line: 'TSUDOI_LINE_CHANNEL_TOKEN is not set on this hub' },
      clock: deps.clock,
      log: deps.log,
      retryBaseMs: config.TSUDOI_ALERT_RETRY,
      maxAttempts: config.TSUDOI_ALERT_MAX_ATTEMPTS,
      attempted: (channel, outcome) => deps.metrics?.alertDeliveries.inc({ channel, outcome })
    })
  }

  start (): void {
    const db = new Database(this.deps.file)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.exec(alertSchema)
    this.db = db
    this.evaluator.load()
    const { bus } = this.deps
    this.unsubscribe.push(
      bus.on('readings', (readings) => this.evaluator.onReadings(readings)),
      bus.on('deviceStatus', (device) => this.evaluator.onStatus(device)),
      // A deleted device (or member) took its rules with it; a rotated token changes nothing here.
      bus.on('deviceRevoked', (device) => { if (this.deps.ownerOf(device) === undefined) this.evaluator.forgetDevice(device) })
    )
    const wheel = setInterval(() => this.evaluator.tick(), TICK_MS)
    const prune = setInterval(() => this.outbox.prune(this.deps.clock() - KEEP_EVENTS_MS), 3_600_000)
    this.timers = [wheel, prune]
    for (const timer of this.timers) timer.unref()
    this.republishRetained()
    this.worker.start()
  }

  async stop (): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off()
    for (const timer of this.timers) clearInterval(timer)
    await this.worker.stop()
    this.email?.close()
    this.db?.close()
    this.db = undefined
  }

  list (member: string): AlertRuleView[] {
    return this.rules.list(member).map((rule) => this.view(rule))
  }

  get (member: string, id: string): AlertRuleView {
    return this.view(this.own(member, id))
  }

  async create (member: string, input: NewAlertRule): Promise<AlertRuleView & { secret: string }> {
    const fields = await checkNewRule(input, this.context(member))
    if (this.rules.count(member) >= MAX_RULES_PER_MEMBER) throw new TsudoiError('CONFLICT', `a member holds at most ${MAX_RULES_PER_MEMBER} alert rules`)
    const secret = `tsw_${randomBytes(32).toString('base64url')}`
    const rule = this.rules.insert(`al${randomBytes(8).toString('hex')}`, member, fields, secret, this.deps.clock())
    this.evaluator.upsert(rule)
    return { ...this.view(rule), secret }
  }

  async update (member: string, id: string, patch: AlertRulePatch): Promise<AlertRuleView> {
    const fields = await checkPatch(this.own(member, id), patch, this.context(member))
    const rule = this.rules.update(id, fields)
    this.evaluator.upsert(rule)
    return this.view(rule)
  }

  delete (member: string, id: string): void {
    const rule = this.own(member, id)
    this.evaluator.remove(id)
    this.rules.delete(id)
    if (rule.channels.some((c) => c.type === 'mqtt')) {
      // A zero-length retained message removes the retained state [MQTT-3.3.1-10]: a rule that
      // is gone must not look firing to Home Assistant forever.
      this.deps.publish(alertTopic(member, id), '').catch((error: unknown) => {
        this.deps.log.warn({ err: error, rule: id }, 'could not clear a deleted alert\'s retained state')
      })
    }
  }

  events (member: string, limit: number): EventView[] {
    return this.outbox.events(member, limit)
  }

  acknowledge (member: string, eventId: string): void {
    this.evaluator.acknowledge(member, eventId)
  }

  deadLetters (limit = 500) {
    return this.outbox.deadLetters(limit)
  }

  /** The wheel's interval, for tests that move the clock. */
  tick (): void { this.evaluator.tick() }

  /** Another member's rule id reads as no rule at all (404, the same as a made-up id). */
  private own (member: string, id: string): AlertRule {
    const rule = this.rules.ofMember(member, id)
    if (rule === undefined) throw new TsudoiError('NOT_FOUND', `no alert rule ${id}`)
    return rule
  }

  private context (member: string): RuleContext {
    return {
      member,
      ownerOf: this.deps.ownerOf,
      memberMetrics: async () => await this.deps.memberMetrics(member),
      channels: { email: this.email !== undefined, line: this.deps.config.TSUDOI_LINE_CHANNEL_TOKEN !== undefined, privateWebhooks: this.deps.config.TSUDOI_ALERT_WEBHOOK_PRIVATE }
    }
  }

  private view (rule: AlertRule): AlertRuleView {
    return {
      id: rule.id,
      name: rule.name,
      device: rule.device,
      metric: rule.type === 'battery' ? 'battery' : rule.metric,
      condition: { type: rule.type, value: rule.value, minutes: rule.minutes },
      channels: rule.channels,
      hysteresis: rule.hysteresis,
      repeatMinutes: rule.repeatMinutes,
      enabled: rule.enabled,
      createdAt: rule.createdAt,
      ...this.evaluator.stateOf(rule.id)
    }
  }

  /**
   * The broker keeps retained messages in memory: after a restart the MQTT channel's topics
   * would be empty until the next change. Each rule's last state sent there is published again.
   */
  private republishRetained (): void {
    for (const { member, rule, body } of this.outbox.lastSentMqtt()) {
      this.deps.publish(alertTopic(member, rule), body).catch((error: unknown) => {
        this.deps.log.warn({ err: error, rule }, 'could not publish an alert\'s retained state again')
      })
    }
  }
}
