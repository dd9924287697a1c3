// The native topic grammar (docs/architecture.md, "The native topics"): tsudoi/<member>/<device>/<leaf>.
export const NATIVE_ROOT = 'tsudoi'

export function devicePrefix (member: string, device: string): string {
  return `${NATIVE_ROOT}/${member}/${device}/`
}

export const errorsTopic = (member: string, device: string): string => `${devicePrefix(member, device)}errors`

/** The leaf of a topic under the device's own prefix, or undefined when the topic is elsewhere. */
export function leafUnder (prefix: string, topic: string): string | undefined {
  if (!topic.startsWith(prefix)) return undefined
  const leaf = topic.slice(prefix.length)
  return leaf.length > 0 && !leaf.includes('/') ? leaf : undefined
}
