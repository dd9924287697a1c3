import type { PageFactory } from './context.ts'
import { adminPage } from './pages/admin.ts'
import { communityPage } from './pages/community.ts'
import { comparePage } from './pages/compare.ts'
import { devicesPage } from './pages/devices.ts'
import { mePage } from './pages/me.ts'

// Hash routes: the hub serves one static index.html, so the path stays `/` and the page is
// the hash. A table, not a switch (STYLE.md).
export const routes: Record<string, PageFactory> = {
  '#/': communityPage,
  '#/me': mePage,
  '#/compare': comparePage,
  '#/devices': devicesPage,
  '#/admin': adminPage
}

/** The route for a hash; unknown and empty hashes show the community page. */
export function routeOf (hash: string): string {
  const path = hash.split('?')[0] ?? ''
  return path in routes ? path : '#/'
}
