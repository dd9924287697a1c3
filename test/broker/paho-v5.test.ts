import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'
import { toolAvailable } from '../helpers/required-tool.ts'

// A third MQTT 5 client beside MQTT.js and mosquitto (issue 15): Debian's python3-paho-mqtt
// (1.6, MQTTv5), run as a Python device would run it (test/broker/fixtures/paho_v5.py).
const run = promisify(execFile)
const PAHO = '/usr/lib/python3/dist-packages/paho/mqtt/client.py'
const SCRIPT = fileURLToPath(new URL('./fixtures/paho_v5.py', import.meta.url))

describe('MQTT 5 with paho (Python)', () => {
  let t: TestHub
  let a: Provisioned
  let b: Provisioned
  const from = Date.now() - 1000
  beforeAll(async () => {
    t = await startTestHub()
    a = await provision(t, 'alpha', 'retail')
    b = await provision(t, 'beta', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  it.runIf(toolAvailable(PAHO, 'python3-paho-mqtt'))('refuses a bad token (0x86), another member\'s topic (SUBACK 0x87), stores the good reading and reports the bad one on the errors topic', async () => {
    const errorsTopic = `tsudoi/alpha/${a.device.id}/errors`
    const { stdout } = await run('/usr/bin/python3', [SCRIPT, String(t.hub.mqttPort), a.device.id, a.device.token, a.device.topic, errorsTopic, `${b.device.topic}/#`])
    expect(JSON.parse(stdout)).toEqual({ connack: [0x86, 0], suback: { 'own errors': [1], 'another member\'s': [0x87] }, acknowledged: 2, errors: ['OUT_OF_RANGE'] })
    const stored = await t.hub.store.readings({ member: 'alpha', metric: 'illuminance', from, to: Date.now() + 60_000, limit: 10 })
    expect(stored.map((r) => r.value)).toEqual([123])
  })
})
