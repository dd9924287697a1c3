// MQTT topic filter grammar [MQTT-4.7]: `+` matches one level, `#` the rest (including none).

/** Does a concrete topic match a filter? */
export function topicMatches (filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === '#') return true
    if (i >= t.length) return false
    if (level !== '+' && level !== t[i]) return false
  }
  return f.length === t.length
}

/** Is every topic a `requested` filter can match also matched by `allowed`? (ACL for SUBSCRIBE) */
export function filterWithin (requested: string, allowed: string): boolean {
  const r = requested.split('/')
  const a = allowed.split('/')
  for (let i = 0; i < a.length; i++) {
    const level = a[i]
    if (level === '#') return true
    if (i >= r.length) return false
    const want = r[i]
    if (want === '#') return false
    if (level === '+') continue
    if (want === '+' || want !== level) return false
  }
  return r.length === a.length
}

/**
 * A matcher for a set of filters, built once per device (the ACL runs on every PUBLISH):
 * `prefix/#` filters become a startsWith, literal filters an equality, the rest the general walk.
 */
export function compileFilters (filters: readonly string[]): (topic: string) => boolean {
  const tests = filters.map((filter): ((topic: string) => boolean) => {
    if (!filter.includes('+')) {
      if (filter === '#') return () => true
      if (filter.endsWith('/#') && !filter.slice(0, -2).includes('#')) {
        const base = filter.slice(0, -2)
        const prefix = `${base}/`
        return (topic) => topic.startsWith(prefix) || topic === base
      }
      if (!filter.includes('#')) return (topic) => topic === filter
    }
    return (topic) => topicMatches(filter, topic)
  })
  return (topic) => tests.some((test) => test(topic))
}

const compiled = new WeakMap<object, WeakMap<object, (topic: string) => boolean>>()

/**
 * `owner`'s compiled filters for one device, built on first use. A device identity lives as
 * long as its connection, so the matcher does too; every PUBLISH then costs a lookup, not a
 * rebuild and re-split of the device's filters.
 */
export function matcherFor (owner: object, device: object, filters: () => readonly string[]): (topic: string) => boolean {
  let byDevice = compiled.get(owner)
  if (byDevice === undefined) compiled.set(owner, byDevice = new WeakMap())
  let matches = byDevice.get(device)
  if (matches === undefined) byDevice.set(device, matches = compileFilters(filters()))
  return matches
}
