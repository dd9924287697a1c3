// No exact small count is published (issue 13): a release says how many members contributed
// only as a band. The edges match the figures a release shows (quartiles from 5 members,
// deciles from 10: release-cell.ts), so the figures present tell nothing the band does not.
const EDGES = [5, 10, 20, 50] as const

export interface CountBand {
  /** At least this many members contributed. */
  min: number
  /** At most this many, or null for the open top band. */
  max: number | null
  /** "3–4", "5–9", …, "50+": what the dashboard and the CSV show. */
  label: string
}

export function countBand (members: number, k: number): CountBand {
  if (members < k) throw new RangeError(`a band is only given for k (${k}) or more members (got ${members})`)
  let min = k
  for (const edge of EDGES) {
    if (members < edge) return band(min, Math.max(min, edge - 1))
    min = Math.max(min, edge)
  }
  return band(min, null)
}

function band (min: number, max: number | null): CountBand {
  return { min, max, label: max === null ? `${min}+` : max === min ? `${min}` : `${min}–${max}` }
}
