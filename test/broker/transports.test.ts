import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'

describe('MQTT over WebSocket', () => {
  let t: TestHub
  let p: Provisioned
  beforeAll(async () => {
    t = await startTestHub()
    p = await provision(t, 'ws-shop', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  it('accepts a device at /mqtt on the HTTP port, with the same identity rules', async () => {
    const client = mqtt.connect(t.hub.wsUrl, { username: p.device.id, password: p.device.token, reconnectPeriod: 0 })
    await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject) })
    await client.publishAsync(p.device.topic, '{"illuminance": 320}', { qos: 1 })
    client.end(true)
    const { body } = await t.api('/api/me/readings', { token: p.member.accessKey })
    expect(body.readings).toEqual([{ time: expect.any(Number), device: 'ws-shop-d1', metric: 'illuminance', value: 320 }])
  })

  it('refuses wrong credentials over WebSocket too', async () => {
    const client = mqtt.connect(t.hub.wsUrl, { username: p.device.id, password: 'nope', reconnectPeriod: 0 })
    const error = await new Promise<any>((resolve) => client.once('error', resolve))
    client.end(true)
    expect(error.code).toBe(5)
  })
})

describe('MQTT over TLS', () => {
  let t: TestHub
  let p: Provisioned
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-tls-'))
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  beforeAll(async () => {
    // A self-signed certificate for 127.0.0.1, made by Debian's openssl.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    t = await startTestHub({ TSUDOI_TLS_CERT: cert, TSUDOI_TLS_KEY: key, TSUDOI_MQTTS_PORT: '0' })
    p = await provision(t, 'tls-shop', 'retail')
  })
  afterAll(async () => {
    await t?.stop()
    rmSync(dir, { recursive: true, force: true }) // the private key must not outlive the test
  })

  it('accepts a device over MQTTS with the same identity rules', async () => {
    expect(t.hub.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/)
    const client = mqtt.connect(t.hub.mqttsUrl!, { username: p.device.id, password: p.device.token, reconnectPeriod: 0, ca: readFileSync(cert) })
    await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject) })
    await client.publishAsync(p.device.topic, '{"power": 42}', { qos: 1 })
    client.end(true)
    const { body } = await t.api('/api/me/readings', { token: p.member.accessKey })
    expect(body.readings).toEqual([{ time: expect.any(Number), device: 'tls-shop-d1', metric: 'power', value: 42 }])
  })

  it('serves an MQTT 5 device over MQTTS alike: stored, and a refused payload answered PUBACK 0x99 with the hub\'s code, the connection kept', async () => {
    const client = mqtt.connect(t.hub.mqttsUrl!, { protocolVersion: 5, username: p.device.id, password: p.device.token, reconnectPeriod: 0, ca: readFileSync(cert) })
    await new Promise((resolve, reject) => { client.once('connect', resolve); client.once('error', reject) })
    const pubacks: Array<[number | undefined, string | undefined]> = []
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback') pubacks.push([packet.reasonCode, packet.properties?.reasonString])
    })
    await client.publishAsync(p.device.topic, '{"power": "lots"}', { qos: 1 }).catch(() => undefined)
    await client.publishAsync(p.device.topic, '{"power": 43}', { qos: 1 })
    client.end(true)
    expect(pubacks).toEqual([[0x99, 'NOT_A_NUMBER: power: "lots" is not a number'], [0, undefined]])
    const { body } = await t.api('/api/me/readings', { token: p.member.accessKey })
    expect(body.readings.map((r: { value: number }) => r.value).sort()).toEqual([42, 43])
  })

  it('needs both the certificate and the key', async () => {
    const { loadConfig } = await import('../../server/config.ts')
    expect(() => loadConfig({ TSUDOI_TLS_CERT: cert })).toThrow(/TSUDOI_TLS_KEY="": required when TSUDOI_TLS_CERT is set/)
  })
})
