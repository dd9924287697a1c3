import type { PageFactory } from './context.ts'
import { adminPage } from './pages/admin.ts'
import { alertsPage } from './pages/alerts.ts'
import { communityPage } from './pages/community.ts'
import { comparePage } from './pages/compare.ts'
import { devicesPage } from './pages/devices.ts'
import { joinPage } from './pages/join.ts'
import { mePage } from './pages/me.ts'
import { privacyPage } from './pages/privacy.ts'
import { workshopSheetPage } from './pages/workshop-sheet.ts'

// Hash routes: the hub serves one static index.html, so the path stays `/` and the page is
// the hash. A table, not a switch (docs/architecture.md). A route may take one parameter after it
// (`#/join/<code>`, the address a workshop's QR code holds).
export const routes: Record<string, PageFactory> = {
  '#/': communityPage,
  '#/me': mePage,
  '#/compare': comparePage,
  '#/devices': devicesPage,
  '#/alerts': alertsPage,
  '#/admin': adminPage,
  '#/join': joinPage,
  '#/workshop': workshopSheetPage,
  '#/privacy': privacyPage
}

const pathOf = (hash: string): string[] => (hash.split('?')[0] ?? '').split('/')

/** The route for a hash (`#/join/AB12CD` → `#/join`); unknown and empty hashes show the community page. */
export function routeOf (hash: string): string {
  const route = pathOf(hash).slice(0, 2).join('/')
  return route in routes ? route : '#/'
}

/** What follows the route in the hash, decoded: `#/join/AB12CD` → `AB12CD`. */
export function routeParam (hash: string): string {
  const rest = pathOf(hash).slice(2).join('/')
  try {
    return decodeURIComponent(rest)
  } catch {
    return rest // a malformed escape: the page shows it as an unknown code
  }
}
