// A comparison release as every layer sees it: made by server/compare/release/release-cell.ts,
// kept by server/store/release-store.ts (and InfluxDB's copy), served by the compare routes.

export interface ShownRelease {
  time: number
  /** At least this many members contributed (the band's lower edge; never the exact count). */
  members: number
  /** The count band, e.g. "5–9". */
  membersBand: string
  p10?: number
  p25?: number
  /** The median and quartiles: from 10 members (server/compare/bucket-stats.ts). */
  p50?: number
  p75?: number
  p90?: number
  mean: number
  /** An interval meant to hold the true (unperturbed) mean in about 90 % of releases (docs/privacy.md, "Utility"). */
  meanInterval: [number, number]
}

/** A suppressed cell says only that: no count, no figure. */
export interface SuppressedRelease { time: number, suppressed: true }

export type Release = ShownRelease | SuppressedRelease

export const isSuppressedRelease = (release: Release): release is SuppressedRelease => 'suppressed' in release
