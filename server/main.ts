import { ConfigError, loadConfig } from './config.ts'
import { createHub } from './hub.ts'

// The only place that reads the environment, listens, and handles signals.
let config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(78) // EX_CONFIG
  }
  throw error
}

const hub = createHub(config)
try {
  await hub.start()
} catch (error) {
  console.error(`Tsudoi could not start: ${(error as Error).message}`)
  process.exit(1)
}

console.log([
  '',
  '  集い Tsudoi hub is running',
  `  MQTT (TCP)        ${hub.mqttUrl}`,
  `  MQTT (WebSocket)  ${hub.wsUrl}`,
  ...(hub.mqttsUrl === undefined ? [] : [`  MQTT (TLS)        ${hub.mqttsUrl}`]),
  `  Dashboard & API   ${hub.httpUrl}`,
  `  Reading store     ${hub.store.kind} (${config.TSUDOI_DATA_DIR})`,
  hub.adminTokenGenerated
    ? `  Admin token       ${hub.adminToken}\n                    (generated now and kept in ${config.TSUDOI_DATA_DIR}/admin-token; shown only this once)`
    : `  Admin token       ${config.TSUDOI_ADMIN_TOKEN !== undefined ? 'from TSUDOI_ADMIN_TOKEN' : `in ${config.TSUDOI_DATA_DIR}/admin-token`}`,
  ''
].join('\n'))

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping…`)
    hub.stop().then(() => process.exit(0), (error: unknown) => {
      console.error(error)
      process.exit(1)
    })
  })
}
