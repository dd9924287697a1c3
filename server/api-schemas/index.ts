// The HTTP API's contract: request and response schemas of every public route, imported by
// the routes (server/http/routes/) and, for types only, by the dashboard (dashboard/src/api/).
export * from './admin.ts'
export * from './alerts.ts'
export * from './common.ts'
export * from './compare.ts'
export * from './health.ts'
export * from './me.ts'
export * from './session.ts'
export * from './time.ts'
export * from './workshops.ts'
