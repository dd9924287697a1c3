import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** What the InfluxDB store's hourly rollup reports (server/store/influx/rollup.ts, RollupStatus). */
export interface RollupProgress { dirtyHours: number, reconciling: boolean, verifiedFrom: number | undefined, complete: boolean }

/** Prometheus metrics of one hub (a registry per hub, so tests can run several). */
export function createMetrics () {
  const registry = new Registry()
  const registers = [registry]
  return {
    registry,
    readingsAccepted: new Counter({ name: 'tsudoi_readings_accepted_total', help: 'Readings stored', registers }),
    storeWorkerFailures: new Counter({ name: 'tsudoi_store_worker_failures_total', help: 'Store worker threads that stopped answering (their pending writes were refused; the writer restarts)', labelNames: ['worker'], registers }),
    liveStreamsDropped: new Counter({ name: 'tsudoi_live_streams_dropped_total', help: 'Live streams (SSE) closed because the client read too slowly', registers }),
    readingsRefused: new Counter({ name: 'tsudoi_readings_refused_total', help: 'Readings or payloads refused, by reason', labelNames: ['code'], registers }),
    publishes: new Counter({ name: 'tsudoi_mqtt_publishes_total', help: 'PUBLISH packets received from devices, by QoS', labelNames: ['qos'], registers }),
    connections: new Gauge({ name: 'tsudoi_mqtt_connections', help: 'Open MQTT connections', registers }),
    connectRefused: new Counter({ name: 'tsudoi_mqtt_connect_refused_total', help: 'CONNECTs refused, by reason', labelNames: ['code'], registers }),
    subscribeRefused: new Counter({ name: 'tsudoi_mqtt_subscribe_refused_total', help: 'Subscriptions refused by the ACL', registers }),
    // Limits before trust (docs/security.md): connections closed by the broker before or without a CONNACK.
    connectionsDropped: new Counter({ name: 'tsudoi_mqtt_connections_dropped_total', help: 'MQTT connections closed by a limit or a protocol violation, by reason (PACKET_TOO_LARGE, CONNECT_RATE_LIMITED, MALFORMED_PACKET)', labelNames: ['code'], registers }),
    handlerFailures: new Counter({ name: 'tsudoi_mqtt_handler_failures_total', help: 'Exceptions contained inside one broker hook or listener, by hook', labelNames: ['hook'], registers }),
    storeWriteSeconds: new Histogram({
      name: 'tsudoi_store_write_seconds', help: 'Duration of one group commit', registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
    }),
    commitBatch: new Histogram({ name: 'tsudoi_commit_batch_readings', help: 'Readings per group commit', registers, buckets: [1, 10, 100, 1000, 5000, 20000] }),
    // Backpressure: publishes whose acknowledgement (and the device's next read) waits on a commit.
    pendingPublishes: new Gauge({ name: 'tsudoi_ingest_pending_publishes', help: 'Publishes waiting for a commit; the broker stops reading from their connections meanwhile', registers }),
    backpressureSeconds: new Counter({ name: 'tsudoi_ingest_backpressure_seconds_total', help: 'Time commits were saturated (a new batch waited for the previous one)', registers }),
    // Alerts (docs/alerts.md): events the rules recorded, and what the outbox did with each delivery attempt.
    alertEvents: new Counter({ name: 'tsudoi_alert_events_total', help: 'Alert events recorded, by kind (fired, repeated, cleared, acknowledged)', labelNames: ['kind'], registers }),
    alertDeliveries: new Counter({ name: 'tsudoi_alert_delivery_attempts_total', help: 'Alert delivery attempts, by channel and outcome (sent, retry, dead)', labelNames: ['channel', 'outcome'], registers }),
    queueDepth: new Gauge({ name: 'tsudoi_queue_depth_readings', help: 'Readings in the durable queue waiting for the reading store', registers }),
    queueOldestSeconds: new Gauge({ name: 'tsudoi_queue_oldest_age_seconds', help: 'Age of the oldest reading in the durable queue', registers }),
    queueFull: new Gauge({ name: 'tsudoi_queue_full', help: '1 while the durable queue is full and QoS 1 acknowledgements are paused', registers }),
    /** InfluxDB mode: the hourly rollup's progress, read at each scrape (a comparison is fast once it has caught up). */
    watchInfluxRollups (progress: () => RollupProgress) {
      return {
        dirtyHours: new Gauge({ name: 'tsudoi_influx_rollup_dirty_hours', help: 'Past hours written since the hourly rollup last recomputed them', registers, collect () { this.set(progress().dirtyHours) } }),
        reconciling: new Gauge({ name: 'tsudoi_influx_rollup_reconciling', help: '1 while the hourly rollup is still being checked against readings written before start-up', registers, collect () { this.set(progress().reconciling ? 1 : 0) } }),
        verifiedFrom: new Gauge({
          name: 'tsudoi_influx_rollup_verified_from_seconds', help: 'Start of the hours the hourly rollup answers for (0: all of them)', registers,
          collect () {
            const { verifiedFrom, complete } = progress()
            this.set(complete ? 0 : verifiedFrom === undefined ? Number.NaN : verifiedFrom / 1000)
          }
        })
      }
    }
  }
}

export type HubMetrics = ReturnType<typeof createMetrics>
