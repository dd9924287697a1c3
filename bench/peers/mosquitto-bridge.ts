import mqtt from 'mqtt'

// The peer pipeline's writer: the "Mosquitto + a small Node script + InfluxDB" stack that an
// organizer builds by hand. It subscribes to every device's telemetry, parses and validates
// the JSON, and batch-writes line protocol to InfluxDB 1.x `/write`. Like most such scripts it
// acknowledges a message as soon as it is parsed: nothing is durable between the broker and
// InfluxDB, and what is in memory when it or InfluxDB fails is gone.
//
// Run by the benchmark as its own process: BRIDGE_MQTT_URL, BRIDGE_INFLUX_URL, BRIDGE_DB.

const METRIC = /^[a-z][a-z0-9_]{0,63}$/
const BATCH_LINES = 5000
const FLUSH_EVERY_MS = 100
const MAX_WRITES_IN_FLIGHT = 2

const mqttUrl = process.env.BRIDGE_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const influxUrl = process.env.BRIDGE_INFLUX_URL ?? 'http://127.0.0.1:8086'
const db = process.env.BRIDGE_DB ?? 'peer'
const writeUrl = `${influxUrl}/write?${new URLSearchParams({ db, precision: 'ms' }).toString()}`

/** Line protocol tag values escape comma, equals sign and space. */
const tag = (value: string): string => value.replace(/[,= ]/g, (c) => `\\${c}`)

let lines: string[] = []
const batches: string[][] = []
let inFlight = 0
const stats = { messages: 0, readings: 0, invalid: 0, written: 0, failedWrites: 0 }

function flush (): void {
  if (lines.length > 0) {
    batches.push(lines)
    lines = []
  }
  while (inFlight < MAX_WRITES_IN_FLIGHT && batches.length > 0) {
    const batch = batches.shift()!
    inFlight++
    fetch(writeUrl, { method: 'POST', body: batch.join('\n') })
      .then(async (response) => {
        if (response.status === 204) stats.written += batch.length
        else { stats.failedWrites++; console.error(`write ${response.status}: ${(await response.text()).slice(0, 200)}`) }
      })
      .catch((error: unknown) => { stats.failedWrites++; console.error(`write failed: ${(error as Error).message}`) })
      .finally(() => { inFlight--; flush() })
  }
}

function handle (topic: string, payload: Buffer): void {
  stats.messages++
  const parts = topic.split('/') // tsudoi/<member>/<device>/telemetry
  if (parts.length !== 4 || parts[3] !== 'telemetry') { stats.invalid++; return }
  let body: unknown
  try { body = JSON.parse(payload.toString('utf8')) } catch { stats.invalid++; return }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) { stats.invalid++; return }
  const record = body as Record<string, unknown>
  const time = typeof record.ts === 'number' && Number.isFinite(record.ts) ? Math.round(record.ts) : Date.now()
  const prefix = `reading,device=${tag(parts[2]!)},member=${tag(parts[1]!)}`
  for (const [metric, value] of Object.entries(record)) {
    if (metric === 'ts') continue
    if (!METRIC.test(metric) || typeof value !== 'number' || !Number.isFinite(value)) { stats.invalid++; continue }
    lines.push(`${prefix},metric=${metric} value=${value} ${time}`)
    stats.readings++
  }
  if (lines.length >= BATCH_LINES) flush()
}

const created = await fetch(`${influxUrl}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${db}"` }) })
if (!created.ok) throw new Error(`CREATE DATABASE: ${created.status}`)

const client = mqtt.connect(mqttUrl, { clientId: `bridge-${process.pid}`, clean: true, reconnectPeriod: 1000 })
client.on('message', handle)
client.on('error', (error) => console.error(`mqtt: ${error.message}`))
client.on('connect', () => {
  client.subscribe('tsudoi/+/+/telemetry', { qos: 1 }, (error) => {
    if (error) throw error
    console.log('bridge ready')
  })
})
setInterval(flush, FLUSH_EVERY_MS)
// For the benchmark: what reached the bridge, to tell a broker's drops from a writer's losses.
let last = ''
setInterval(() => {
  const line = JSON.stringify(stats)
  if (line !== last) console.log(`bridge stats ${line}`)
  last = line
}, 250)
process.on('SIGTERM', () => {
  console.log(`bridge stats ${JSON.stringify(stats)}`)
  client.end(true, () => process.exit(0))
})
