import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, sleep, startTestHub } from '../helpers/hub.ts'
import { connectPacket, field, remainingLength } from '../helpers/raw-mqtt.ts'
import { type RawClient, type Transport, openRaw, rawDevice } from './raw-client.ts'

// Issue 12, item 4: limits before trust. The fixed header of every packet is checked while
// framing (server/broker/packet-size-guard.ts); a packet announcing more than its type may carry
// closes the connection before its body is read, on TCP, TLS and WebSocket alike.

const MB = 1024 * 1024
const MAX_PAYLOAD = 1024

/** A fixed header announcing `length` bytes, followed by nothing. */
const header = (firstByte: number, length: number): Buffer => Buffer.concat([Buffer.from([firstByte]), remainingLength(length)])

function publish (topic: string, payload: Buffer, id: number): Buffer {
  const body = Buffer.concat([field(topic), Buffer.from([id >> 8, id & 255]), payload])
  return Buffer.concat([header(0x32, body.length), body])
}

/** Streams zeros after `start` until the hub closes or `total` bytes are written; returns how many went out. */
async function stream (client: RawClient, start: Buffer, total: number): Promise<number> {
  await client.write(start)
  const chunk = Buffer.alloc(64 * 1024)
  let sent = start.length
  while (sent < total && !client.closed()) {
    if (!await client.write(chunk)) break
    sent += chunk.length
  }
  await client.until(() => false) // the hub has hung up (or the bound ran out: then `closed()` says so)
  return sent
}

const rss = (): number => process.memoryUsage().rss

describe('packet sizes are limited while framing', () => {
  let t: TestHub
  let slow: TestHub
  let tlsHub: TestHub
  let p: Provisioned
  let q: Provisioned
  let ca: Buffer
  const dir = mkdtempSync(join(tmpdir(), 'tsudoi-limits-'))

  beforeAll(async () => {
    const cert = join(dir, 'cert.pem')
    const key = join(dir, 'key.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
    ca = readFileSync(cert)
    t = await startTestHub({ TSUDOI_MAX_PAYLOAD: String(MAX_PAYLOAD) })
    slow = await startTestHub({ TSUDOI_MAX_PAYLOAD: String(MAX_PAYLOAD), TSUDOI_FAST_PATH: 'off' })
    tlsHub = await startTestHub({ TSUDOI_MAX_PAYLOAD: String(MAX_PAYLOAD), TSUDOI_TLS_CERT: cert, TSUDOI_TLS_KEY: key, TSUDOI_MQTTS_PORT: '0' })
    p = await provision(t, 'limits', 'retail')
    q = await provision(slow, 'limits', 'retail')
    r = await provision(tlsHub, 'limits', 'retail')
  })
  afterAll(async () => {
    await Promise.all([t?.stop(), slow?.stop(), tlsHub?.stop()])
    rmSync(dir, { recursive: true, force: true }) // the private key must not outlive the test
  })

  let r: Provisioned
  const transports = (): Array<[string, Transport, Provisioned]> => [
    ['TCP', { tcp: t.hub.mqttPort }, p],
    ['TLS', { tls: Number(new URL(tlsHub.hub.mqttsUrl!).port), ca }, r],
    ['WebSocket', { ws: t.hub.wsUrl }, p]
  ]

  it('closes six sockets that each announce a 250 MB CONNECT within their first bytes; memory does not follow', async () => {
    const before = rss()
    const sockets = await Promise.all(Array.from({ length: 6 }, () => openRaw({ tcp: t.hub.mqttPort })))
    const sent = await Promise.all(sockets.map((s) => stream(s, header(0x10, 250 * MB), 16 * MB)))
    expect(sockets.map((s) => s.closed())).toEqual([true, true, true, true, true, true])
    // Closed at the header: what was written is what the socket buffers held, not 16 MB each.
    for (const bytes of sent) expect(bytes).toBeLessThan(8 * MB)
    expect(rss() - before).toBeLessThan(64 * MB)
  })

  for (const [index, name] of ['TCP', 'TLS', 'WebSocket'].entries()) {
    it(`closes a CONNECT announcing more than 8 KiB over ${name} at its header; one that fits is served`, async () => {
      const [, where, who] = transports()[index]!
      const big = await openRaw(where)
      await big.write(header(0x10, 8 * 1024 + 1))
      await big.until(() => false)
      expect([big.closed(), big.packets]).toEqual([true, []])
      const fits = await rawDevice(where, 'fits', who.device.id, who.device.token)
      expect(fits.closed()).toBe(false)
      fits.destroy()
    })
  }

  it('closes a first packet that is not a small CONNECT before its body arrives [MQTT-3.1.0-1]', async () => {
    const client = await openRaw({ tcp: t.hub.mqttPort })
    await client.write(Buffer.concat([header(0x30, 100_000), Buffer.alloc(100)]))
    await client.until(() => false)
    expect(client.closed()).toBe(true)
    expect(client.packets).toEqual([])
  })

  for (const [mode, hub] of [['with the fast path', () => ({ t, d: p })], ['without it', () => ({ t: slow, d: q })]] as const) {
    it(`acknowledges a PUBLISH at the payload limit and closes one announcing more than limit + header, ${mode}`, async () => {
      const { t: h, d } = hub()
      const device = await rawDevice({ tcp: h.hub.mqttPort }, 'limit', d.device.id, d.device.token)
      await device.write(publish(d.device.topic, Buffer.from(`{"power":1${' '.repeat(MAX_PAYLOAD - 11)}}`), 7))
      await device.until(() => device.packets.length >= 2)
      expect(device.packets.map((x) => [x.cmd, x.messageId])).toEqual([['connack', undefined], ['puback', 7]])
      await device.write(header(0x32, MAX_PAYLOAD + 4 * 1024 + 1))
      await device.until(() => false)
      expect(device.closed()).toBe(true)
      const dropped = await h.hub.metrics.registry.getSingleMetric('tsudoi_mqtt_connections_dropped_total')!.get()
      expect(dropped.values.find((v) => v.labels.code === 'PACKET_TOO_LARGE')?.value).toBeGreaterThanOrEqual(1)
    })
  }

  it('closes a PUBACK with more than its packet id and a PINGREQ with a body', async () => {
    for (const bad of [header(0x40, 3), header(0xc0, 1)]) {
      const device = await rawDevice({ tcp: t.hub.mqttPort }, 'acks', p.device.id, p.device.token)
      await device.write(bad)
      await device.until(() => false)
      expect(device.closed()).toBe(true)
    }
  })

  it('closes a WebSocket message larger than any packet the hub accepts before buffering it whole (1009, RFC 6455 §7.4.1)', async () => {
    const ws = new WebSocket(t.hub.wsUrl, 'mqtt')
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(Buffer.concat([connectPacket('ws', p.device.id, p.device.token), Buffer.alloc(2 * MB)]))
    expect(await closed).toBe(1009)
  })
})

describe('connection caps', () => {
  let t: TestHub
  let p: Provisioned
  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_MAX_CONNECTIONS_PER_DEVICE: '2', TSUDOI_CONNECT_RATE_PER_ADDRESS: '10000' })
    p = await provision(t, 'capped', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  const connackOf = async (clientId: string): Promise<{ client: RawClient, code: number | undefined }> => {
    const client = await openRaw({ tcp: t.hub.mqttPort })
    await client.write(connectPacket(clientId, p.device.id, p.device.token))
    await client.until(() => client.packets.length > 0)
    return { client, code: client.packets[0]?.returnCode }
  }

  it('refuses a device more than TSUDOI_MAX_CONNECTIONS_PER_DEVICE open connections with CONNACK 3; its own session takeover is not one more', async () => {
    const one = await connackOf('one')
    const two = await connackOf('two')
    const three = await connackOf('three')
    expect([one.code, two.code, three.code]).toEqual([0, 0, 3])
    await three.client.until(() => false)
    expect(three.client.closed()).toBe(true)
    // Reconnecting with its own client id replaces that connection [MQTT-3.1.4-2].
    const again = await connackOf('two')
    expect(again.code).toBe(0)
    await two.client.until(() => false)
    expect(two.client.closed()).toBe(true)
    // A closed connection frees its place.
    one.client.destroy()
    let four = await connackOf('four')
    while (four.code === 3) { // until the hub has seen the close
      four.client.destroy()
      await sleep(20)
      four = await connackOf('four')
    }
    expect(four.code).toBe(0)
    again.client.destroy(); four.client.destroy()
  })
})

describe('new connections per address', () => {
  let t: TestHub
  let p: Provisioned
  beforeAll(async () => {
    t = await startTestHub({ TSUDOI_CONNECT_RATE_PER_ADDRESS: '3' })
    p = await provision(t, 'burst', 'retail')
  })
  afterAll(async () => { await t?.stop() })

  it('closes connections above TSUDOI_CONNECT_RATE_PER_ADDRESS a second at accept, before reading a byte', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => openRaw({ tcp: t.hub.mqttPort })))
    await Promise.all(clients.map(async (c, i) => {
      await c.write(connectPacket(`burst-${i}`, p.device.id, p.device.token))
      await c.until(() => c.packets.length > 0)
    }))
    const served = clients.filter((c) => c.packets[0]?.returnCode === 0).length
    const refused = clients.filter((c) => c.closed() && c.packets.length === 0).length
    expect([served, refused]).toEqual([3, 7])
    const dropped = await t.hub.metrics.registry.getSingleMetric('tsudoi_mqtt_connections_dropped_total')!.get()
    expect(dropped.values.find((v) => v.labels.code === 'CONNECT_RATE_LIMITED')?.value).toBe(7)
    for (const c of clients) c.destroy()
  })
})
