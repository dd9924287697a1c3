import type { Config } from '../config.ts'
import type { EventBus } from '../event-bus.ts'
import type { Activity } from '../ingest/activity.ts'
import type { RefusalReporter } from '../ingest/refusal-reporter.ts'
import type { Log } from '../log.ts'
import type { Membership } from '../membership/membership.ts'
import type { HubMetrics } from '../metrics.ts'
import type { Registry } from '../registry/registry.ts'
import type { QueueStatus } from '../store/queue/queue-status.ts'
import type { ReadingStore } from '../store/reading-store.ts'
import type { Auth } from './auth.ts'

/** Where devices should connect, as shown in a device's setup instructions. */
export interface MqttEndpoints { host: string, port: number, wsPath: string, wsUrl: string }

/** What the HTTP routes may use. Routes import nothing from broker/ or ingest/ internals. */
export interface HttpContext {
  config: Config
  registry: Registry
  /** Removing members and devices, and rotating their credentials: every route goes through it. */
  membership: Membership
  store: ReadingStore
  activity: Activity
  refusals: RefusalReporter
  bus: EventBus
  metrics: HubMetrics
  auth: Auth
  log: Log
  startedAt: number
  clock: () => number
  mqtt: () => MqttEndpoints
  queue?: () => QueueStatus
}
