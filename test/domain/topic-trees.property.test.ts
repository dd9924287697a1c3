import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TsudoiError } from '../../server/errors.ts'
import { formats } from '../../server/ingest/formats/index.ts'
import { topicMatches } from '../../server/domain/topic-filter.ts'
import { type DeviceFormat, deviceFormats } from '../../server/domain/device-formats.ts'
import { type Device, Registry } from '../../server/registry/registry.ts'
import { treesOf, treesOverlap } from '../../server/domain/topic-trees.ts'

// Issue 12, item 2: whatever devices are registered, in whatever order, no two members'
// topic trees overlap — checked on the model (treesOf) and on the ACL the formats really
// grant (publishFilters / subscribeFilters), through a real Registry on an in-memory SQLite.

const MEMBERS = ['ma', 'mb', 'mc'] as const
/** Levels to build topics from: plain names, shared firmware roots, reserved roots, another member's Z2M root, empty levels. */
const LEVELS = ['a', 'b', 'plug', 'tele', 'cmnd', 'stat', 'zigbee2mqtt', 'zigbee2mqtt_ma', 'zigbee2mqtt_mb_2', 'shellies', 'tsudoi', 'homeassistant', '$SYS', '']
/** Explicit device ids: a few that are shared roots themselves (the default topic is the id). */
const IDS = ['tele', 'zigbee2mqtt', 'plug', 'a', 'cmnd', 'homeassistant']

type Topic = { kind: 'default' } | { kind: 'levels', levels: string[] } | { kind: 'around', of: number, before: string[], after: string[] }
interface Step { member: typeof MEMBERS[number], format: DeviceFormat, topic: Topic, id?: string }

const levels = fc.array(fc.constantFrom(...LEVELS), { minLength: 1, maxLength: 3 })
const step: fc.Arbitrary<Step> = fc.record({
  member: fc.constantFrom(...MEMBERS),
  format: fc.constantFrom(...deviceFormats),
  topic: fc.oneof(
    fc.constant<Topic>({ kind: 'default' }),
    levels.map<Topic>((l) => ({ kind: 'levels', levels: l })),
    // Another device's topic as a prefix or an extension of this one's.
    fc.record({ of: fc.nat(), before: fc.array(fc.constantFrom(...LEVELS), { maxLength: 1 }), after: fc.array(fc.constantFrom(...LEVELS), { maxLength: 2 }) })
      .map<Topic>((t) => ({ kind: 'around', ...t }))
  ),
  id: fc.option(fc.constantFrom(...IDS), { nil: undefined })
})

function topicOf (topic: Topic, registered: readonly Device[]): string | undefined {
  if (topic.kind === 'default') return undefined
  if (topic.kind === 'levels') return topic.levels.join('/')
  const base = registered.length === 0 ? 'a' : registered[topic.of % registered.length]!.topic
  return [...topic.before, base, ...topic.after].join('/')
}

interface Outcome { registered: Device[], refusals: Array<{ step: Step, topic: string | undefined, error: TsudoiError }> }

function registerAll (steps: readonly Step[]): Outcome {
  let now = Date.UTC(2026, 0, 1)
  const registry = new Registry(':memory:', () => now++)
  registry.open()
  try {
    for (const member of MEMBERS) registry.addMember({ id: member, name: `Member ${member}`, sector: 'retail' })
    const outcome: Outcome = { registered: [], refusals: [] }
    steps.forEach((s, index) => {
      const topic = topicOf(s.topic, outcome.registered)
      try {
        const { device } = registry.addDevice({ id: s.id ?? `${s.member}-${index}`, member: s.member, name: 'x', format: s.format, topic })
        outcome.registered.push(device)
      } catch (error) {
        if (!(error instanceof TsudoiError)) throw error
        outcome.refusals.push({ step: s, topic, error })
      }
    })
    expect(registry.devices()).toEqual(outcome.registered)
    return outcome
  } finally {
    registry.close()
  }
}

const identity = (d: Device) => ({ id: d.id, member: d.member, sector: 'retail', format: d.format, topic: d.topic })
/** Every filter a device's login really holds, publish and subscribe alike. */
const aclOf = (d: Device): string[] => [...formats[d.format].publishFilters(identity(d)), ...formats[d.format].subscribeFilters(identity(d))]
/** `homeassistant/` is the discovery namespace every device shares on purpose (server/ingest/formats/firmware.ts). */
const sharedOnPurpose = (filter: string): boolean => filter.split('/')[0] === 'homeassistant'

/** Can some topic match both filters? [MQTT-4.7.1] */
function filtersIntersect (a: string, b: string): boolean {
  const x = a.split('/')
  const y = b.split('/')
  for (let i = 0; ; i++) {
    if (x[i] === '#' || y[i] === '#') return true
    if (i === x.length || i === y.length) return x.length === y.length
    if (x[i] !== '+' && y[i] !== '+' && x[i] !== y[i]) return false
  }
}

const otherMembersPairs = (devices: readonly Device[]): Array<[Device, Device]> =>
  devices.flatMap((a) => devices.filter((b) => b.member !== a.member).map((b): [Device, Device] => [a, b]))

const RUNS = { numRuns: 200 }

describe('topic trees: no two members overlap, whatever is registered in whatever order', () => {
  it('no tree of one member\'s device contains or lies inside another member\'s (the model), nor another device\'s of the same member', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
      const { registered } = registerAll(steps)
      for (const [i, a] of registered.entries()) {
        for (const b of registered.slice(i + 1)) {
          for (const ta of treesOf(a.format, a.topic)) {
            for (const tb of treesOf(b.format, b.topic)) expect(treesOverlap(ta, tb), `${a.id} ${ta.join('/')} vs ${b.id} ${tb.join('/')}`).toBe(false)
          }
        }
      }
    }), RUNS)
  })

  it('no filter the formats grant one member\'s login can match a topic another member\'s login may use (the ACL itself)', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
      const { registered } = registerAll(steps)
      for (const [a, b] of otherMembersPairs(registered)) {
        for (const mine of aclOf(a).filter((f) => !sharedOnPurpose(f))) {
          for (const theirs of aclOf(b).filter((f) => !sharedOnPurpose(f))) {
            expect(filtersIntersect(mine, theirs), `${a.id} ${mine} vs ${b.id} ${theirs}`).toBe(false)
          }
          // And concretely: the victim's own topics, as its firmware publishes them.
          for (const tree of treesOf(b.format, b.topic)) {
            const root = tree.join('/')
            for (const topic of [root, `${root}/SENSOR`, `${root}/POWER`, `${root}/sensor/t/state`]) expect(topicMatches(mine, topic), `${a.id} ${mine} vs ${topic}`).toBe(false)
          }
        }
      }
    }), RUNS)
  })

  it('a refusal for a clash with another member names neither that member nor its device', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
      const { registered, refusals } = registerAll(steps)
      for (const { step: s, topic, error } of refusals) {
        expect(['VALIDATION_FAILED', 'CONFLICT']).toContain(error.code)
        if (error.code !== 'CONFLICT' || /already exists$/.test(error.message)) continue
        const shown = error.message.replaceAll(topic ?? '\u0000', '')
        for (const other of registered.filter((d) => d.member !== s.member)) {
          expect(shown).not.toContain(`device ${other.id}`)
          expect(shown).not.toContain(`Member ${other.member}`)
        }
      }
    }), RUNS)
  })

  it('refuses only what it must: a refused claim is malformed, reserved, or really overlaps a registered device', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
      const { registered, refusals } = registerAll(steps)
      for (const { step: s, topic, error } of refusals) {
        if (error.code !== 'CONFLICT' || topic === undefined || /already exists$/.test(error.message)) continue
        const clashes = registered.some((d) => treesOf(d.format, d.topic).some((theirs) => treesOf(s.format, topic).some((mine) => treesOverlap(mine, theirs))))
        expect(clashes, `${topic} refused: ${error.message}`).toBe(true)
      }
    }), RUNS)
  })
})
