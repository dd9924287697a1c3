import { createHmac } from 'node:crypto'

// Pseudo-random numbers that are a pure function of a secret and a label: the same label
// always gives the same number (a member's permanent factor, a cell's key), and without the
// secret nobody can tell which. HMAC-SHA-256 is a PRF under the secret, so the numbers of
// different labels are, to anyone without it, independent and uniform.

/** A uniform number in [0, 1) for `label` under `secret`: 52 bits of HMAC-SHA-256. */
export function keyedUniform (secret: string, label: readonly (string | number)[]): number {
  // Parts are joined with a byte no id, metric or number can contain, so ['a', 'bc'] and
  // ['ab', 'c'] never share a label.
  const digest = createHmac('sha256', secret).update(label.join('\u0000')).digest()
  const high = digest.readUInt32BE(0) >>> 12 // 20 bits
  const low = digest.readUInt32BE(4) // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 52
}

/** A uniform number in [-1, 1) for `label` under `secret`. */
export function keyedSigned (secret: string, label: readonly (string | number)[]): number {
  return 2 * keyedUniform(secret, label) - 1
}
