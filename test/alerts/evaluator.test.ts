import Database from 'better-sqlite3'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { Channel } from '../../server/api-schemas/alerts.ts'
import { alertSchema } from '../../server/alerts/alert-schema.ts'
import { AlertEvaluator } from '../../server/alerts/evaluator.ts'
import { NoticeRate } from '../../server/alerts/notice-rate.ts'
import { Outbox } from '../../server/alerts/outbox.ts'
import { type RuleFields, RuleStore } from '../../server/alerts/rule-store.ts'

// The evaluator with its timer wheel and a clock the test moves: a device that keeps talking
// never trips its silent rule however the wheel's entry was placed, a hold time fires on the
// wheel without a further reading, and what fired is in the outbox once per channel.

const MIN = 60_000

function setUp () {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE member (id TEXT PRIMARY KEY); CREATE TABLE device (id TEXT PRIMARY KEY, member TEXT);')
  db.exec(alertSchema)
  db.exec("INSERT INTO member VALUES ('m'); INSERT INTO device VALUES ('d1', 'm'), ('d2', 'm');")
  let now = 1_000 * MIN
  const rules = new RuleStore(() => db)
  const outbox = new Outbox(() => db)
  const evaluator = new AlertEvaluator({
    rules, outbox, transaction: (fn) => db.transaction(fn)(), devicesOf: () => ['d1', 'd2'], isOnline: () => true,
    rate: new NoticeRate(), clock: () => now, log: pino({ level: 'silent' }), recorded: () => {}
  })
  const add = (id: string, fields: Partial<RuleFields> & Pick<RuleFields, 'type'>, channels: Channel[] = [{ type: 'mqtt' }]) => {
    const rule = rules.insert(id, 'm', {
      name: id, device: null, metric: 'temperature', value: null, minutes: 0, hysteresis: 0, repeatMinutes: null, channels, enabled: true, ...fields
    }, 'key', now)
    evaluator.upsert(rule)
  }
  const reading = (device: string, value: number) =>
    evaluator.onReadings([{ time: now, member: 'm', device, sector: 'restaurant', metric: 'temperature', value }])
  const at = (minutes: number) => { now = 1_000 * MIN + minutes * MIN; evaluator.tick() }
  const events = () => outbox.events('m', 200).reverse().map((e) => [e.rule, e.kind, e.device, e.value, (e.time - 1_000 * MIN) / MIN, e.deliveries.map((d) => d.channel)])
  const statuses = () => outbox.events('m', 200).flatMap((e) => e.deliveries.map((d) => [d.status, d.error]))
  return { evaluator, add, reading, at, events, statuses }
}

describe('the evaluator on its timer wheel', () => {
  it('silent for 10 minutes on each device: the talking device fires only once it stops, the quiet one fires and clears when it talks', () => {
    const { add, reading, at, events } = setUp()
    add('quiet', { type: 'silent', minutes: 10 })
    for (let minute = 1; minute <= 25; minute++) {
      at(minute)
      reading('d1', 20)
    }
    at(26)
    reading('d2', 21)
    // A device added after the rule (not in its list when it started) is watched from its first reading.
    reading('d3', 5)
    // d1's last reading was at 25: silent from 35 on.
    at(34)
    reading('d2', 21)
    at(35)
    at(36)
    expect(events()).toEqual([
      ['quiet', 'fired', 'd2', null, 10, ['mqtt']],
      ['quiet', 'cleared', 'd2', 21, 26, ['mqtt']],
      ['quiet', 'fired', 'd1', 20, 35, ['mqtt']],
      ['quiet', 'fired', 'd3', 5, 36, ['mqtt']]
    ])
  })

  it('above for 5 minutes fires on the wheel with no further reading; a repeat follows until acknowledged', () => {
    const { add, reading, at, events, evaluator } = setUp()
    add('warm', { type: 'above', value: 8, minutes: 5, repeatMinutes: 10, device: 'd1' }, [{ type: 'mqtt' }, { type: 'webhook', url: 'https://example.jp/h' }])
    at(1)
    reading('d1', 9)
    at(5)
    expect(events()).toEqual([])
    at(6)
    at(16)
    const fired = events()
    expect(fired).toEqual([
      ['warm', 'fired', 'd1', 9, 6, ['mqtt', 'webhook']],
      ['warm', 'repeated', 'd1', 9, 16, ['mqtt', 'webhook']]
    ])
    expect(evaluator.stateOf('warm')).toEqual({ state: 'firing', acknowledged: false })
  })

  it('a member flipping its own sensor gets 60 notifications an hour; the rest are recorded, suppressed, and say why', () => {
    const { add, reading, at, events, statuses } = setUp()
    add('flappy', { type: 'above', value: 8, device: 'd1' })
    for (let i = 0; i < 40; i++) {
      at(i)
      reading('d1', 9)
      reading('d1', 7)
    }
    const all = events()
    expect(all).toHaveLength(80)
    const counted = new Map<string, number>()
    for (const [status, error] of statuses()) counted.set(`${status}: ${error}`, (counted.get(`${status}: ${error}`) ?? 0) + 1)
    expect(Object.fromEntries(counted)).toEqual({ 'pending: null': 60, 'suppressed: over 60 notifications an hour for this member; not sent': 20 })
    // An hour after the first, the member's notifications are sent again.
    at(61)
    reading('d1', 9)
    expect(events().at(-1)).toEqual(['flappy', 'fired', 'd1', 9, 61, ['mqtt']])
  })
})
