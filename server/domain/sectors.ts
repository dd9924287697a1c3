export const sectors = [
  'fishery', 'aquaculture', 'agriculture', 'accommodation', 'restaurant',
  'retail', 'manufacturing', 'office', 'public', 'other'
] as const
export type Sector = typeof sectors[number]
