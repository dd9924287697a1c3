import type { AlertRule } from './rule.ts'
import { conditionOf, metricOf } from './rule.ts'
import type { Condition } from './rule-state.ts'

/** A rule with its condition worked out once. */
export interface IndexedRule { rule: AlertRule, condition: Condition }

type ByMetric = Map<string, IndexedRule[]>

/**
 * Enabled rules by what they listen to, so that the ingest path asks two Map lookups of a
 * reading no rule names (its device, its member) and allocates nothing: rules on one device
 * by device then metric, rules on each of a member's devices by member then metric, and the
 * same two for status (offline) rules.
 */
export class RuleIndex {
  private readonly byId = new Map<string, IndexedRule>()
  private readonly readingsByDevice = new Map<string, ByMetric>()
  private readonly readingsByMember = new Map<string, ByMetric>()
  private readonly statusByDevice = new Map<string, IndexedRule[]>()
  private readonly statusByMember = new Map<string, IndexedRule[]>()
  // One array reused for a reading that matches rules of both kinds (rare: a member with a
  // rule on one device and another on all of them, for the same metric).
  private readonly both: IndexedRule[] = []

  add (rule: AlertRule): IndexedRule {
    const entry: IndexedRule = { rule, condition: conditionOf(rule) }
    this.byId.set(rule.id, entry)
    const metric = metricOf(rule)
    if (metric === undefined) {
      push(rule.device === null ? this.statusByMember : this.statusByDevice, rule.device ?? rule.member, entry)
    } else {
      const map = rule.device === null ? this.readingsByMember : this.readingsByDevice
      const key = rule.device ?? rule.member
      let byMetric = map.get(key)
      if (byMetric === undefined) map.set(key, byMetric = new Map())
      push(byMetric, metric, entry)
    }
    return entry
  }

  remove (ruleId: string): void {
    const entry = this.byId.get(ruleId)
    if (entry === undefined) return
    this.byId.delete(ruleId)
    const { rule } = entry
    const metric = metricOf(rule)
    const key = rule.device ?? rule.member
    if (metric === undefined) {
      pull(rule.device === null ? this.statusByMember : this.statusByDevice, key, entry)
      return
    }
    const map = rule.device === null ? this.readingsByMember : this.readingsByDevice
    const byMetric = map.get(key)
    if (byMetric === undefined) return
    pull(byMetric, metric, entry)
    if (byMetric.size === 0) map.delete(key)
  }

  all (): IndexedRule[] { return [...this.byId.values()] }

  /** The rules a reading may move, or undefined (the common case). The array is not to be kept. */
  forReading (member: string, device: string, metric: string): readonly IndexedRule[] | undefined {
    const own = this.readingsByDevice.get(device)?.get(metric)
    const each = this.readingsByMember.get(member)?.get(metric)
    if (each === undefined) return own
    if (own === undefined) return each
    this.both.length = 0
    this.both.push(...own, ...each)
    return this.both
  }

  forStatus (member: string, device: string): readonly IndexedRule[] | undefined {
    const own = this.statusByDevice.get(device)
    const each = this.statusByMember.get(member)
    if (each === undefined) return own
    if (own === undefined) return each
    return [...own, ...each]
  }
}

function push<K> (map: Map<K, IndexedRule[]>, key: K, entry: IndexedRule): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [entry])
  else list.push(entry)
}

function pull<K> (map: Map<K, IndexedRule[]>, key: K, entry: IndexedRule): void {
  const list = map.get(key)
  if (list === undefined) return
  const rest = list.filter((e) => e !== entry)
  if (rest.length === 0) map.delete(key)
  else map.set(key, rest)
}
