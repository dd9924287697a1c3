import Database from 'better-sqlite3'
import { pino } from 'pino'
import { alertSchema } from '../../server/alerts/alert-schema.ts'
import { AlertEvaluator } from '../../server/alerts/evaluator.ts'
import { NoticeRate } from '../../server/alerts/notice-rate.ts'
import { Outbox } from '../../server/alerts/outbox.ts'
import { RuleStore } from '../../server/alerts/rule-store.ts'
import type { Reading } from '../../server/domain/reading.ts'

// Issue 17's evaluation targets, on the main thread: ≤ 1 µs per reading per matching rule,
// and nothing measurable for a reading no rule names. 1,000 rules (one `above` rule on each
// of 1,000 devices, never crossed: the steady state), readings in commit-sized batches of 100.
// Run: npx tsx bench/measure/alert-evaluation.ts

const RULES = 1000
const BATCH = 100
const ROUNDS = 20_000

const db = new Database(':memory:')
db.exec(`CREATE TABLE member (id TEXT PRIMARY KEY); CREATE TABLE device (id TEXT PRIMARY KEY, member TEXT);`)
db.exec(alertSchema)
db.prepare('INSERT INTO member VALUES (?)').run('m')
const rules = new RuleStore(() => db)
for (let i = 0; i < RULES; i++) {
  db.prepare('INSERT INTO device VALUES (?, ?)').run(`d${i}`, 'm')
  rules.insert(`r${i}`, 'm', {
    name: `r${i}`, device: `d${i}`, metric: 'temperature', type: 'above', value: 1e9, minutes: 0, hysteresis: 0, repeatMinutes: null,
    channels: [{ type: 'mqtt' }], enabled: true
  }, 'secret', 0)
}
const evaluator = new AlertEvaluator({
  rules, outbox: new Outbox(() => db), transaction: (fn) => db.transaction(fn)(), devicesOf: () => [], isOnline: () => true,
  rate: new NoticeRate(), clock: Date.now, log: pino({ level: 'silent' }), recorded: () => {}
})
evaluator.load()

const now = Date.now()
const batch = (prefix: string): Reading[] => Array.from({ length: BATCH }, (_, i) => ({
  time: now, member: prefix === 'd' ? 'm' : 'other', device: `${prefix}${i * 7 % RULES}`, sector: 'restaurant', metric: 'temperature', value: 20 + i % 5
}))
const matching = batch('d')
const unmatched = batch('x')

function nsPerReading (readings: Reading[], run: (r: Reading[]) => void): number {
  for (let i = 0; i < 2000; i++) run(readings) // warm-up
  const start = process.hrtime.bigint()
  for (let i = 0; i < ROUNDS; i++) run(readings)
  return Number(process.hrtime.bigint() - start) / (ROUNDS * readings.length)
}

let sink = 0
const baseline = nsPerReading(unmatched, (r) => { for (const x of r) sink += x.value })
const none = nsPerReading(unmatched, (r) => evaluator.onReadings(r))
const one = nsPerReading(matching, (r) => evaluator.onReadings(r))
console.log(JSON.stringify({ rules: RULES, batch: BATCH, nsPerReading: { loopBaseline: +baseline.toFixed(1), noMatchingRule: +none.toFixed(1), oneMatchingRule: +one.toFixed(1) }, sink: sink > 0 }))
