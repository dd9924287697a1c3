import { connectPacket, remainingLength } from '../../helpers/raw-mqtt.ts'
import { bytesField, connect, field, garbage, idOnly, packet, publish, publishBytes, subscribe, unsubscribe } from './bytes.ts'
import type { PacketCase, PacketContext } from './types.ts'

// Packet-level cases over raw TCP: what MQTT 3.1.1 says the server does with each malformed
// or out-of-order packet, and the limits issue 12 asks for. After each, the canary must work.

const closed = { closed: true } as const
const kept = { kept: true } as const
const login = (ctx: PacketContext, clientId = `${ctx.device.id}-x`): Buffer => connectPacket(clientId, ctx.device.id, ctx.device.token)
const creds = (ctx: PacketContext): { username: Buffer, password: Buffer } => ({ username: field(ctx.device.id), password: field(ctx.device.token) })
const USER_PASS = 0x80 | 0x40 | 0x02
const puback = (id: number) => ({ reply: (p: { cmd: string, messageId?: number }) => p.cmd === 'puback' && p.messageId === id, what: `PUBACK ${id}` })

/** Before any CONNECT: the first packet a client sends MUST be CONNECT [MQTT-3.1.0-1]. */
const beforeLogin: PacketCase[] = [
  { id: 'packet-01', title: 'a lone fixed-header byte, then the peer hangs up', login: false, send: () => [Buffer.from([0x10])], end: true, spec: 'MQTT-2.2', expect: closed },
  { id: 'packet-02', title: 'a remaining length cut inside its variable bytes', login: false, send: () => [Buffer.from([0x10, 0x80, 0x80])], end: true, spec: 'MQTT-2.2.3', expect: closed },
  { id: 'packet-03', title: 'a remaining length of five bytes', login: false, send: () => [Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00])], spec: 'MQTT-2.2.3 (at most four bytes)', expect: closed },
  { id: 'packet-04', title: 'a CONNECT announcing 256 MB, then a stream of bytes', login: false, send: () => [Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]), ...Array.from({ length: 16 }, () => Buffer.alloc(65_536))], spec: 'issue 12 item 4: a CONNECT is small; close at once', expect: closed },
  {
    id: 'packet-05',
    title: 'a CONNECT announcing 250 MB that starts like a real one',
    login: false,
    send: (ctx) => {
      const real = connect({ flags: USER_PASS, ...creds(ctx) }).subarray(2)
      return [Buffer.concat([Buffer.from([0x10]), remainingLength(250_000_000), real]), ...Array.from({ length: 16 }, () => Buffer.alloc(65_536, 0x41))]
    },
    spec: 'issue 12 item 4',
    expect: closed
  },
  { id: 'packet-06', title: 'a CONNECT whose length runs past the data, then the peer hangs up', login: false, send: (ctx) => [connect({ flags: USER_PASS, ...creds(ctx) }).subarray(0, 20)], end: true, spec: 'MQTT-2.2.3', expect: closed },
  { id: 'packet-07', title: 'a CONNECT with protocol name MQTX', login: false, send: (ctx) => [connect({ protocol: field('MQTX'), flags: USER_PASS, ...creds(ctx) })], spec: 'MQTT-3.1.2-1', expect: closed },
  { id: 'packet-08', title: 'a CONNECT with an empty protocol name', login: false, send: (ctx) => [connect({ protocol: field(''), flags: USER_PASS, ...creds(ctx) })], spec: 'MQTT-3.1.2-1', expect: closed },
  { id: 'packet-09', title: 'a CONNECT with protocol level 9', login: false, send: (ctx) => [connect({ level: 9, flags: USER_PASS, ...creds(ctx) })], pending: 'C (server/broker): mqtt-packet rejects the level before aedes sees the CONNECT, so the hub closes without CONNACK 0x01', spec: 'MQTT-3.1.2-2: CONNACK 0x01, then disconnect', expect: { connack: [1] } },
  { id: 'packet-10', title: 'a CONNECT with protocol level 0', login: false, send: (ctx) => [connect({ level: 0, flags: USER_PASS, ...creds(ctx) })], pending: 'C (server/broker): mqtt-packet rejects the level before aedes sees the CONNECT, so the hub closes without CONNACK 0x01', spec: 'MQTT-3.1.2-2: CONNACK 0x01, then disconnect', expect: { connack: [1] } },
  { id: 'packet-11', title: 'a CONNECT with the reserved flag bit set', login: false, send: (ctx) => [connect({ flags: USER_PASS | 0x01, ...creds(ctx) })], spec: 'MQTT-3.1.2-3', expect: closed },
  { id: 'packet-12', title: 'a password without a username', login: false, send: (ctx) => [connect({ flags: 0x40 | 0x02, password: field(ctx.device.token) })], spec: 'MQTT-3.1.2-22', expect: closed },
  { id: 'packet-13', title: 'a will with QoS 3', login: false, send: (ctx) => [connect({ flags: USER_PASS | 0x04 | 0x18, will: { topic: `${ctx.native}/status`, message: 'offline' }, ...creds(ctx) })], spec: 'MQTT-3.1.2-14', expect: closed },
  { id: 'packet-14', title: 'a will QoS without the will flag', login: false, send: (ctx) => [connect({ flags: USER_PASS | 0x08, ...creds(ctx) })], spec: 'MQTT-3.1.2-13', expect: closed },
  { id: 'packet-15', title: 'will retain without the will flag', login: false, send: (ctx) => [connect({ flags: USER_PASS | 0x20, ...creds(ctx) })], spec: 'MQTT-3.1.2-15', expect: closed },
  { id: 'packet-16', title: 'a CONNECT with header flags 0001', login: false, send: (ctx) => [connect({ first: 0x11, flags: USER_PASS, ...creds(ctx) })], spec: 'MQTT-2.2.2-2', expect: closed },
  { id: 'packet-17', title: 'a PUBLISH before CONNECT', login: false, send: (ctx) => [publish(`${ctx.native}/telemetry`, '{"temperature":20}', 0x02, 1)], spec: 'MQTT-3.1.0-1', expect: closed },
  { id: 'packet-18', title: 'a SUBSCRIBE before CONNECT', login: false, send: () => [subscribe([['#', 0]])], spec: 'MQTT-3.1.0-1', expect: closed },
  { id: 'packet-19', title: 'a PINGREQ before CONNECT', login: false, send: () => [Buffer.from([0xc0, 0x00])], spec: 'MQTT-3.1.0-1', expect: closed },
  { id: 'packet-20', title: '4 KB of random bytes', login: false, send: () => [garbage(4096, 12)], spec: 'MQTT-4.8 (protocol violation)', expect: closed },
  { id: 'packet-21', title: 'packet type 0 (reserved)', login: false, send: () => [Buffer.from([0x00, 0x00])], spec: 'MQTT-2.2.1', expect: closed },
  { id: 'packet-22', title: 'packet type 15 (reserved in 3.1.1)', login: false, send: () => [Buffer.from([0xf0, 0x00])], spec: 'MQTT-2.2.1', expect: closed },
  { id: 'packet-23', title: 'a wrong token', login: false, send: (ctx) => [connectPacket('wrong-token', ctx.device.id, 'not-the-token')], spec: 'MQTT-3.2.2-5: CONNACK 4 or 5', expect: { connack: [4, 5] } },
  { id: 'packet-24', title: 'an unknown device', login: false, send: () => [connectPacket('nobody', 'no-such-device', 'x')], spec: 'MQTT-3.2.2-5', expect: { connack: [4, 5] } },
  { id: 'packet-25', title: 'an empty client id without clean session', login: false, send: (ctx) => [connectPacket('', ctx.device.id, ctx.device.token, false)], spec: 'MQTT-3.1.3-8: CONNACK 0x02', expect: { connack: [2] } },
  { id: 'packet-26', title: 'a client id that is not UTF-8', login: false, send: (ctx) => [connect({ clientId: bytesField(Buffer.from([0x61, 0xc3, 0x28])), flags: USER_PASS, ...creds(ctx) })], spec: 'MQTT-1.5.3-1', expect: closed },
  { id: 'packet-27', title: 'a client id holding NUL', login: false, send: (ctx) => [connect({ clientId: bytesField(Buffer.from([0x61, 0x00, 0x62])), flags: USER_PASS, ...creds(ctx) })], spec: 'MQTT-1.5.3-2', expect: closed },
  { id: 'packet-28', title: 'a username that is not UTF-8', login: false, send: (ctx) => [connect({ flags: USER_PASS, username: bytesField(Buffer.from([0xff, 0xfe])), password: field(ctx.device.token) })], spec: 'MQTT-1.5.3-1', expect: closed },
  { id: 'packet-29', title: 'a client id longer than its packet', login: false, send: () => [packet(0x10, Buffer.concat([field('MQTT'), Buffer.from([4, 0x02, 0, 60, 0x03, 0xe8]), Buffer.from('abc')]))], spec: 'MQTT-1.5.3 (malformed)', expect: closed },
  { id: 'packet-30', title: 'a 65535-byte client id with a wrong token', login: false, send: (ctx) => [connect({ clientId: field('c'.repeat(65_535)), flags: USER_PASS, username: field(ctx.device.id), password: field('wrong') })], spec: 'MQTT-3.1.3-5 (a server MAY refuse long ids with 0x02); issue 12 item 4 (a CONNECT is small)', expect: closed },
  { id: 'packet-31', title: 'a CONNACK sent to the server', login: false, send: () => [Buffer.from([0x20, 0x02, 0x00, 0x00])], spec: 'MQTT-3.1.0-1', expect: closed }
]

/** After a successful login as the raw device. */
const afterLogin: PacketCase[] = [
  { id: 'packet-40', title: 'a second CONNECT', login: true, send: (ctx) => [login(ctx, `${ctx.device.id}-again`)], spec: 'MQTT-3.1.0-2', expect: closed },
  { id: 'packet-41', title: 'a PUBLISH with QoS 3', login: true, send: (ctx) => [publish(`${ctx.native}/telemetry`, '{"temperature":20}', 0x06, 1)], spec: 'MQTT-3.3.1-4', expect: closed },
  { id: 'packet-42', title: 'a QoS 1 PUBLISH with packet id 0 on telemetry', login: true, send: (ctx) => [publish(`${ctx.native}/telemetry`, '{"temperature":20}', 0x02, 0)], spec: 'MQTT-2.3.1-1', expect: closed },
  { id: 'packet-43', title: 'a QoS 1 PUBLISH with packet id 0 on a metric topic', login: true, send: (ctx) => [publish(`${ctx.native}/temperature`, '20', 0x02, 0)], spec: 'MQTT-2.3.1-1', expect: closed },
  { id: 'packet-44', title: 'a QoS 2 PUBLISH with packet id 0', login: true, send: (ctx) => [publish(`${ctx.native}/telemetry`, '{"temperature":20}', 0x04, 0)], spec: 'MQTT-2.3.1-1', expect: closed },
  { id: 'packet-45', title: 'a topic holding NUL', login: true, send: (ctx) => [publish(`${ctx.native}/tele\u0000metry`, '{"temperature":20}')], spec: 'MQTT-1.5.3-2', expect: closed },
  { id: 'packet-46', title: 'a topic that is not UTF-8', login: true, send: (ctx) => [publishBytes(Buffer.concat([Buffer.from(`${ctx.native}/`), Buffer.from([0xc3, 0x28])]), '1')], spec: 'MQTT-1.5.3-1', expect: closed },
  { id: 'packet-47', title: 'a topic with a UTF-8-encoded surrogate', login: true, send: (ctx) => [publishBytes(Buffer.concat([Buffer.from(`${ctx.native}/`), Buffer.from([0xed, 0xa0, 0x80])]), '1')], spec: 'MQTT-1.5.3-1 (U+D800..U+DFFF)', expect: closed },
  { id: 'packet-48', title: 'a topic holding U+FFFF', login: true, send: (ctx) => [publish(`${ctx.native}/\uffff`, '1')], spec: 'MQTT-1.5.3-3 (the server MAY close)', expect: { closedOrKept: true } },
  { id: 'packet-49', title: 'a topic with +', login: true, send: (ctx) => [publish(`${ctx.native}/+`, '1')], spec: 'MQTT-3.3.2-2', expect: closed },
  { id: 'packet-50', title: 'a topic with #', login: true, send: (ctx) => [publish(`${ctx.native}/#`, '1')], spec: 'MQTT-3.3.2-2', expect: closed },
  { id: 'packet-51', title: 'an empty topic', login: true, send: () => [publish('', '1')], spec: 'MQTT-4.7.3-1', expect: closed },
  { id: 'packet-52', title: 'a 65535-byte topic under its own prefix', login: true, send: (ctx) => [publish(`${ctx.native}/${'a'.repeat(65_535 - ctx.native.length - 1)}`, '1', 0x02, 52)], spec: 'MQTT-1.5.3 (valid; refused as a metric name)', expect: puback(52) },
  { id: 'packet-53', title: 'a 65535-byte topic elsewhere', login: true, send: () => [publish('x'.repeat(65_535), '1', 0x02, 53)], spec: 'valid; not the device\'s topic', expect: puback(53) },
  { id: 'packet-54', title: 'a topic length past the packet', login: true, send: () => [packet(0x32, Buffer.concat([Buffer.from([0x10, 0x00]), Buffer.from('abc'), Buffer.from([0, 1])]))], spec: 'MQTT-1.5.3 (malformed)', expect: closed },
  { id: 'packet-55', title: 'a QoS 0 PUBLISH with DUP set', login: true, send: (ctx) => [publish(`${ctx.native}/temperature`, '20', 0x08)], spec: 'MQTT-3.3.1-2', expect: { closedOrKept: true } },
  { id: 'packet-56', title: 'a PUBLISH announcing 64 MB', login: true, send: (ctx) => [Buffer.concat([Buffer.from([0x32]), remainingLength(64 * 1024 * 1024), field(`${ctx.native}/telemetry`), Buffer.from([0, 1])]), ...Array.from({ length: 16 }, () => Buffer.alloc(65_536, 0x20))], spec: 'issue 12 item 4: TSUDOI_MAX_PAYLOAD plus its header', expect: closed },
  { id: 'packet-57', title: 'a SUBSCRIBE without filters', login: true, send: () => [packet(0x82, Buffer.from([0, 1]))], spec: 'MQTT-3.8.3-3', expect: closed },
  { id: 'packet-58', title: 'a SUBSCRIBE with header flags 0000', login: true, send: (ctx) => [subscribe([[`${ctx.native}/errors`, 0]], 0x80)], spec: 'MQTT-3.8.1-1', expect: closed },
  { id: 'packet-59', title: 'a SUBSCRIBE asking QoS 3', login: true, send: (ctx) => [subscribe([[`${ctx.native}/errors`, 3]])], spec: 'MQTT-3.8.3-4', expect: closed },
  { id: 'packet-60', title: 'a SUBSCRIBE with reserved option bits', login: true, send: (ctx) => [subscribe([[`${ctx.native}/errors`, 0x04]])], spec: 'MQTT-3-8.3-4', expect: closed },
  { id: 'packet-61', title: 'a SUBSCRIBE to #', login: true, send: () => [subscribe([['#', 0]])], spec: 'DESIGN: own tree only; SUBACK 0x80 [MQTT-3.9.3]', expect: { suback: [0x80] } },
  { id: 'packet-62', title: 'a SUBSCRIBE to $SYS/#', login: true, send: () => [subscribe([['$SYS/#', 0]])], spec: 'MQTT-4.7.2-1', expect: { suback: [0x80] } },
  { id: 'packet-63', title: 'a SUBSCRIBE to another member\'s tree', login: true, send: (ctx) => [subscribe([[`${ctx.victim.native}/#`, 1]])], spec: 'DESIGN: no member reads another\'s data', expect: { suback: [0x80] } },
  { id: 'packet-64', title: 'a SUBSCRIBE to every telemetry topic', login: true, send: () => [subscribe([['tsudoi/+/+/telemetry', 0]])], spec: 'DESIGN', expect: { suback: [0x80] } },
  { id: 'packet-65', title: 'a SUBSCRIBE to another member\'s firmware commands', login: true, send: (ctx) => [subscribe([[`cmnd/${ctx.victim.topic}/#`, 0]])], spec: 'issue 12 item 2', expect: { suback: [0x80] } },
  { id: 'packet-66', title: 'a SUBSCRIBE to its own errors and to # in one packet', login: true, send: (ctx) => [subscribe([[`${ctx.native}/errors`, 1], ['#', 1]])], spec: 'MQTT-3.9.3-1 (one code per filter, in order)', expect: { suback: [1, 0x80] } },
  { id: 'packet-67', title: 'a SUBSCRIBE filter holding NUL', login: true, send: (ctx) => [subscribe([[`${ctx.native}/\u0000`, 0]])], spec: 'MQTT-1.5.3-2', expect: closed },
  { id: 'packet-68', title: 'a SUBSCRIBE filter with # not last', login: true, send: (ctx) => [subscribe([[`${ctx.native}/#/x`, 0]])], spec: 'MQTT-4.7.1-2 (an invalid filter: refused or closed)', expect: { closedOrKept: true } },
  { id: 'packet-69', title: 'an UNSUBSCRIBE without filters', login: true, send: () => [packet(0xa2, Buffer.from([0, 1]))], spec: 'MQTT-3.10.3-2', expect: closed },
  { id: 'packet-70', title: 'an UNSUBSCRIBE with header flags 0000', login: true, send: (ctx) => [unsubscribe([`${ctx.native}/errors`], 0xa0)], spec: 'MQTT-3.10.1-1', expect: closed },
  { id: 'packet-71', title: 'a PUBREL without a PUBREC', login: true, send: () => [idOnly(0x62, 7)], spec: 'MQTT-4.3.3: PUBCOMP with the same id', expect: { reply: (p) => p.cmd === 'pubcomp' && p.messageId === 7, what: 'PUBCOMP 7' } },
  { id: 'packet-72', title: 'a PUBREL with header flags 0000', login: true, send: () => [idOnly(0x60, 7)], spec: 'MQTT-3.6.1-1', expect: closed },
  { id: 'packet-73', title: 'a PUBACK for a packet never sent', login: true, send: () => [idOnly(0x40, 999)], spec: 'MQTT-4.3.2 (nothing to acknowledge)', expect: kept },
  { id: 'packet-74', title: 'a PUBREC for a packet never sent', login: true, send: () => [idOnly(0x50, 998)], spec: 'MQTT-4.3.3', expect: { closedOrKept: true } },
  { id: 'packet-75', title: 'a PINGREQ with a body', login: true, send: () => [Buffer.from([0xc0, 0x01, 0x00])], spec: 'MQTT-3.12 (no payload)', expect: { closedOrKept: true } },
  { id: 'packet-76', title: 'a SUBACK sent to the server', login: true, send: () => [Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00])], spec: 'MQTT-3.9 (server to client only)', expect: closed },
  { id: 'packet-77', title: '4 KB of random bytes after login', login: true, send: () => [garbage(4096, 77)], spec: 'MQTT-4.8', expect: closed },
  { id: 'packet-78', title: 'a PUBLISH cut mid-payload, then the peer hangs up', login: true, send: (ctx) => [publish(`${ctx.native}/telemetry`, JSON.stringify({ temperature: 20 }), 0x02, 78).subarray(0, 30)], end: true, spec: 'MQTT-2.2.3', expect: closed },
  {
    id: 'packet-79',
    title: 'a thousand pipelined QoS 1 PUBLISHes of broken JSON in one write',
    login: true,
    send: (ctx) => [Buffer.concat(Array.from({ length: 1000 }, (_v, i) => publish(`${ctx.native}/telemetry`, '{"temperature":', 0x02, i + 1)))],
    spec: 'every QoS 1 PUBLISH is acknowledged [MQTT-4.3.2-2]',
    expect: puback(1000)
  },
  { id: 'packet-80', title: 'a PUBLISH to its own errors topic', login: true, send: (ctx) => [publish(`${ctx.native}/errors`, '{"code":"FAKE"}', 0x02, 80)], spec: 'only the hub writes errors', expect: puback(80) },
  { id: 'packet-81', title: 'a retained command to another member\'s firmware', login: true, send: (ctx) => [publish(`cmnd/${ctx.victim.topic}/POWER`, 'OFF', 0x03, 81)], spec: 'issue 12 item 2: acknowledged, never delivered', expect: puback(81) },
  { id: 'packet-82', title: 'a PUBLISH into another member\'s native tree', login: true, send: (ctx) => [publish(`${ctx.victim.native}/telemetry`, '{"temperature":99}', 0x02, 82)], spec: 'DESIGN: identity from login, not topic', expect: puback(82) },
  { id: 'packet-83', title: 'a DISCONNECT with flag bits set', login: true, send: () => [Buffer.from([0xe1, 0x00])], spec: 'MQTT-2.2.2-2', expect: closed }
]

export const packetCases: PacketCase[] = [...beforeLogin, ...afterLogin]
