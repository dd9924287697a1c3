// Types for build.mjs, which stays plain JavaScript so `node dashboard/build.mjs` needs no loader.
export interface FileSize { raw: number, gzip: number }
export function buildDashboard (options?: { quiet?: boolean }): Promise<{ dist: string, sizes: Record<string, FileSize>, total: FileSize }>
