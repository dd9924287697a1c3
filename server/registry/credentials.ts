import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// Tokens are 256 random bits, so a plain SHA-256 is enough to keep them unrecoverable
// from the database (a slow KDF guards low-entropy passwords, which these are not) and
// keeps CONNECT fast when a thousand devices reconnect at once.
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex')

export function secretMatches (secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}
