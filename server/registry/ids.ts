import { randomBytes } from 'node:crypto'
import { z } from 'zod'

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/
export const slugSchema = z.string().regex(SLUG, 'lowercase letters, digits and inner hyphens, at most 64')

/** A slug from a name when it has Latin letters; otherwise (a Japanese name, say) a random one. */
export function slugFrom (name: string, prefix: string): string {
  // NFKD splits "ü" into "u" and a combining mark; dropping the marks keeps "u".
  const base = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '')
  const suffix = randomBytes(3).toString('hex')
  return base.length >= 2 ? `${base}-${suffix}` : `${prefix}-${suffix}`
}
