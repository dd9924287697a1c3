import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Aedes } from 'aedes'
import { CompareService } from './compare/compare-service.ts'
import { perturbationParams } from './compare/release/perturbation.ts'
import { Releaser } from './compare/releaser.ts'
import { ReleaseStore } from './store/release-store.ts'
import { InfluxReleaseArchive } from './store/influx/release-archive.ts'
import { influxOptionsFrom } from './store/influx/store.ts'
import type { FastifyInstance } from 'fastify'
import { resolveAdminToken } from './admin-token.ts'
import { createBroker } from './broker/broker.ts'
import { type MqttListener, attachWebSocket, listenTcp, listenTls } from './broker/transports.ts'
import type { Config } from './config.ts'
import { EventBus } from './event-bus.ts'
import { buildHttpApp, type RouteModule } from './http/app.ts'
import { compareRoutes } from './http/routes/compare.ts'
import { alertRoutes } from './http/routes/alerts.ts'
import { Alerts } from './alerts/alerts.ts'
import { Auth } from './http/auth.ts'
import type { HttpContext } from './http/context.ts'
import { Activity } from './ingest/activity.ts'
import { GroupCommitter } from './ingest/group-commit.ts'
import { MetricCardinality } from './ingest/metric-cardinality.ts'
import { IngestPipeline } from './ingest/pipeline.ts'
import { LearnedDiscovery } from './ingest/formats/discovery.ts'
import { RefusalReporter } from './ingest/refusal-reporter.ts'
import { child, createRootLogger, type Log } from './log.ts'
import { createMetrics } from './metrics.ts'
import { ensurePrivateDir } from './private-files.ts'
import { reachableHost } from './network-address.ts'
import { Registry } from './registry/registry.ts'
import type { ReadingStore } from './store/reading-store.ts'
import type { Reading } from './domain/reading.ts'
import { type SelectedStore, selectReadingStore } from './store/select-store.ts'
import { WorkshopExpiry } from './workshop-expiry.ts'
import { Membership } from './membership/membership.ts'
import { TsudoiError } from './errors.ts'

export interface HubOptions {
  log?: Log
  clock?: () => number
  /** A store to use instead of the configured one. */
  store?: ReadingStore
  /** HTTP route modules added by later capabilities. */
  routes?: RouteModule[]
}

const LAST_SEEN_FLUSH_MS = 10_000
export const MQTT_WS_PATH = '/mqtt'

/**
 * Builds the whole hub and starts nothing (docs/architecture.md): `start()` opens files and listens,
 * `stop()` undoes it in reverse order. Acknowledged readings are durable before the
 * acknowledgement, so stopping loses none of them.
 */
export function createHub (config: Config, options: HubOptions = {}) {
  const root = options.log ?? createRootLogger(config.TSUDOI_LOG_LEVEL)
  const clock = options.clock ?? Date.now
  const log = child(root, 'hub')
  const metrics = createMetrics()
  const bus = new EventBus(child(root, 'events'))
  const registry = new Registry(join(config.TSUDOI_DATA_DIR, 'registry.db'), clock)
  const selected: SelectedStore = options.store === undefined ? selectReadingStore(config, child(root, 'store')) : { store: options.store }
  const { store, queue } = selected
  if (selected.rollups !== undefined) metrics.watchInfluxRollups(selected.rollups)
  store.onWorkerFailure?.((worker, error) => {
    metrics.storeWorkerFailures.inc({ worker })
    log.error({ err: error, worker }, 'a store worker thread stopped; its pending writes were refused (not acknowledged)')
  })
  const activity = new Activity(clock)
  const committer = new GroupCommitter((readings) => appendWhenRoom(selected, readings), config.TSUDOI_COMMIT_WINDOW_MS, (stats) => {
    metrics.storeWriteSeconds.observe(stats.seconds)
    metrics.commitBatch.observe(stats.readings)
    metrics.backpressureSeconds.inc(stats.waitedSeconds)
  })
  // Comparisons are served from releases made once per closed bucket (docs/privacy.md).
  const releases = new ReleaseStore(join(config.TSUDOI_DATA_DIR, 'releases.db'), { archived: config.INFLUX_URL !== undefined })
  // InfluxDB mode: every release is also kept in InfluxDB, and restored from it before any pass.
  const releaseArchive = config.INFLUX_URL === undefined
    ? undefined
    : new InfluxReleaseArchive({ influx: influxOptionsFrom(config), releases, log: child(root, 'releases') })
  let privacySecret = ''
  const releaser = new Releaser({
    store, releases, members: () => registry.members(), timeZone: config.TSUDOI_TIMEZONE, graceMs: config.TSUDOI_RELEASE_GRACE, clock,
    log: child(root, 'releases'),
    ...(releaseArchive === undefined ? {} : { ready: () => releaseArchive.restored() }),
    params: () => ({ k: config.TSUDOI_K_ANONYMITY, secret: privacySecret, perturbation: perturbationParams(config.TSUDOI_PRIVACY_P) })
  })
  const compare = new CompareService({
    store, releases, members: () => registry.members(), k: config.TSUDOI_K_ANONYMITY, privacyP: config.TSUDOI_PRIVACY_P,
    timeZone: config.TSUDOI_TIMEZONE, graceMs: config.TSUDOI_RELEASE_GRACE, clock
  })
  const membership = new Membership({ registry, store, bus, settled: () => committer.idle() })
  const workshopExpiry = new WorkshopExpiry(registry, membership, child(root, 'workshops'))
  let broker: Aedes | undefined
  const reporter = new RefusalReporter(
    (topic, payload) => broker?.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => {}),
    child(root, 'ingest'), metrics, bus, clock)
  const cardinality = new MetricCardinality(config.TSUDOI_MAX_METRICS_PER_DEVICE)
  // Revocation also means a rotated token; only a deleted device's metric count is forgotten.
  bus.on('deviceRevoked', (id) => { if (registry.device(id) === undefined) cardinality.forget(id) })
  // What this hub's devices announced (Home Assistant discovery); a revoked device announces again.
  const discovery = new LearnedDiscovery()
  bus.on('deviceRevoked', (id) => discovery.forget(id))
  // Alert rules, evaluated as readings are stored, delivered through an outbox in registry.db (docs/alerts.md).
  const alerts = new Alerts({
    config, file: join(config.TSUDOI_DATA_DIR, 'registry.db'), bus, clock, log: child(root, 'alerts'), metrics,
    ownerOf: (device) => registry.device(device)?.member,
    devicesOf: (member) => registry.devices(member).map((d) => d.id),
    isOnline: (device) => activity.isOnline(device),
    memberMetrics: (member) => store.memberMetrics(member),
    publish: (topic, payload) => new Promise((resolve, reject) => {
      if (broker === undefined) return reject(new Error('the broker is not running'))
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: true, dup: false }, (error) => error ? reject(error) : resolve())
    })
  })
  const pipeline = new IngestPipeline({
    committer, reporter, activity, bus, metrics, cardinality, discovery, log: child(root, 'ingest'), maxPayload: config.TSUDOI_MAX_PAYLOAD, clock
  })

  let tcp: MqttListener | undefined
  let mqtts: MqttListener | undefined
  let ws: { close (): Promise<void> } | undefined
  let http: FastifyInstance | undefined
  let flushTimer: NodeJS.Timeout | undefined
  let admin = { token: '', generated: false }
  let httpPort = 0

  const flushLastSeen = (): void => {
    const unsaved = activity.takeUnsaved()
    if (unsaved.size > 0) registry.touchDevices(unsaved)
  }

  const hub = {
    config,
    registry,
    store,
    bus,
    metrics,
    activity,
    workshopExpiry,
    releaser,
    releaseArchive,
    alerts,
    get adminToken (): string { return admin.token },
    get adminTokenGenerated (): boolean { return admin.generated },
    get mqttPort (): number { return tcp?.port ?? 0 },
    get httpPort (): number { return httpPort },
    get httpUrl (): string { return `http://${displayHost(config.TSUDOI_HOST)}:${httpPort}` },
    /** The MQTTS URL, when TLS is configured. */
    get mqttsUrl (): string | undefined { return mqtts === undefined ? undefined : `mqtts://${displayHost(config.TSUDOI_HOST)}:${mqtts.port}` },
    get mqttUrl (): string { return `mqtt://${displayHost(config.TSUDOI_HOST)}:${tcp?.port ?? 0}` },
    /** Resolves once the durable queue (InfluxDB mode) has written everything to the store. */
    drained: async (): Promise<void> => { await queue?.drained() },
    get wsUrl (): string { return `ws://${displayHost(config.TSUDOI_HOST)}:${httpPort}${MQTT_WS_PATH}` },

    async start (): Promise<void> {
      const dataDir = ensurePrivateDir(config.TSUDOI_DATA_DIR)
      if (dataDir.tightenedFrom !== undefined) {
        log.warn({ dir: config.TSUDOI_DATA_DIR, was: dataDir.tightenedFrom.toString(8), now: '700' }, 'data dir was open to other accounts; made it private')
      }
      registry.open()
      admin = resolveAdminToken(config.TSUDOI_DATA_DIR, config.TSUDOI_ADMIN_TOKEN)
      await store.open()
      releases.open()
      releaseArchive?.start()
      privacySecret = storedSecret(registry, 'privacy_secret')
      // Not awaited: InfluxDB may be down at start (readings then wait in the durable queue).
      // The embedded store answers before the broker listens.
      store.deviceMetrics?.().then((series) => cardinality.seed(series), (error: unknown) => {
        log.warn({ err: error }, 'could not list the store\'s series; per-device metric counts start from what arrives')
      })
      broker = await createBroker({
        authenticate: (id, token) => registry.authenticateDevice(id, token),
        pipeline, committer, reporter, activity, bus, metrics, log: child(root, 'broker'), config
      })
      // Before any device connects: no reading passes unevaluated, and retained alert states are back.
      alerts.start()
      tcp = await listenTcp(broker, config.TSUDOI_HOST, config.TSUDOI_MQTT_PORT)
      if (config.TSUDOI_TLS_CERT !== undefined && config.TSUDOI_TLS_KEY !== undefined) {
        mqtts = await listenTls(broker, config.TSUDOI_HOST, config.TSUDOI_MQTTS_PORT, config.TSUDOI_TLS_CERT, config.TSUDOI_TLS_KEY)
      }
      const ctx: HttpContext = {
        config, registry, membership, store, activity, refusals: reporter, bus, metrics, log: child(root, 'http'),
        auth: new Auth(registry, admin.token), startedAt: clock(), clock,
        ...(queue === undefined ? {} : { queue: queue.status }),
        mqtt: () => {
          const host = reachableHost(config.TSUDOI_HOST, config.TSUDOI_PUBLIC_URL)
          return { host, port: tcp?.port ?? 0, wsPath: MQTT_WS_PATH, wsUrl: `ws://${host}:${httpPort}${MQTT_WS_PATH}` }
        }
      }
      http = await buildHttpApp(ctx, storedSecret(registry, 'session_secret'), [compareRoutes(compare), alertRoutes(alerts), ...(options.routes ?? [])])
      await http.listen({ host: config.TSUDOI_HOST, port: config.TSUDOI_HTTP_PORT })
      httpPort = (http.server.address() as { port: number }).port
      ws = attachWebSocket(broker, http.server, MQTT_WS_PATH)
      workshopExpiry.start()
      // A pass before the archived releases are restored would recompute them: wait for that.
      if (releaseArchive === undefined) releaser.start()
      else releaseArchive.restored().then(() => releaser.start(), () => {})
      flushTimer = setInterval(flushLastSeen, LAST_SEEN_FLUSH_MS)
      flushTimer.unref()
      log.info({ mqtt: hub.mqttUrl, ws: hub.wsUrl, http: hub.httpUrl, store: store.kind }, 'hub started')
    },

    async stop (): Promise<void> {
      clearInterval(flushTimer)
      workshopExpiry.stop()
      await releaseArchive?.stop()
      await releaser.stop()
      await ws?.close()
      await tcp?.close()
      await mqtts?.close()
      if (broker !== undefined) await new Promise<void>((resolve) => broker!.close(() => resolve()))
      await committer.idle()
      await http?.close()
      await alerts.stop()
      flushLastSeen()
      await store.close()
      releases.close()
      registry.close()
      log.info('hub stopped')
    }
  }
  return hub
}

export type Hub = ReturnType<typeof createHub>

/**
 * Appends, and while the durable queue is full waits for room instead of failing: the commit
 * (and so every PUBACK, and aedes' reading from those connections) pauses, devices keep their
 * unacknowledged readings and resend them — nothing acknowledged is ever dropped.
 */
async function appendWhenRoom (selected: SelectedStore, readings: readonly Reading[]): Promise<void> {
  for (;;) {
    try {
      return await selected.store.append(readings)
    } catch (error) {
      if (!(error instanceof TsudoiError && error.code === 'QUEUE_FULL') || selected.queue === undefined) throw error
    }
    await selected.queue.room()
  }
}

function displayHost (host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host
}

/**
 * A key made once and kept in the registry: `session_secret` signs session cookies,
 * `privacy_secret` fixes every member's release factor (never rotated: docs/privacy.md).
 */
function storedSecret (registry: Registry, name: 'session_secret' | 'privacy_secret'): string {
  let secret = registry.setting(name)
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64url')
    registry.saveSetting(name, secret)
  }
  return secret
}
