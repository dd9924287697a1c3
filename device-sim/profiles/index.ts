import type { Sector } from '../../server/domain/sectors.ts'
import { accommodation } from './accommodation.ts'
import { agriculture } from './agriculture.ts'
import { aquaculture } from './aquaculture.ts'
import { fishery } from './fishery.ts'
import { manufacturing } from './manufacturing.ts'
import { officeProfile } from './office.ts'
import { other } from './other.ts'
import { publicProfile } from './public.ts'
import { restaurant } from './restaurant.ts'
import { retail } from './retail.ts'
import type { SectorProfile } from './types.ts'

// One table from a sector to its profile (docs/architecture.md: a variant is a file in a table).
export const profiles: Record<Sector, SectorProfile> = {
  fishery,
  aquaculture,
  agriculture,
  accommodation,
  restaurant,
  retail,
  manufacturing,
  office: officeProfile,
  public: publicProfile,
  other
}
