import { get, query } from './client.ts'
import { ALL_SECTORS, type Comparison, compareSchema } from './schemas.ts'

// GET /api/compare. "All sectors" is the absence of a sector; `per` is the normalisation
// (server/compare/normalize.ts: m2, seat, room).
export const perOptions = ['m2', 'seat', 'room'] as const
export type Per = typeof perOptions[number]

export interface CompareParams {
  metric: string
  sector?: string
  from: number
  to: number
  bucket: string
  per?: Per
}

export function comparePath (params: CompareParams): string {
  const sector = params.sector === ALL_SECTORS ? undefined : params.sector
  return `/api/compare${query({ metric: params.metric, sector, from: params.from, to: params.to, bucket: params.bucket, per: params.per })}`
}

export const fetchComparison = (params: CompareParams, signal?: AbortSignal): Promise<Comparison> =>
  get(comparePath(params), compareSchema, signal)
