import { expect } from 'vitest'
import type { HttpAnswer } from '../../helpers/hostile-hub.ts'
import { garbage } from './bytes.ts'

// Hostile HTTP requests from an anonymous visitor or a member: paths that walk out of the
// dashboard's directory, headers and bodies at their extremes, query parameters that would
// make the hub build unbounded answers or format impossible dates. Written as raw bytes where
// fetch would normalise them. Expected: a 4xx (or a bounded 2xx), never a 5xx, never a file
// from outside the dashboard.

export interface HttpCase {
  id: string
  title: string
  pending?: string
  kills?: true
  /** As a member (bearer access key) or anonymous. */
  as: 'member' | 'anonymous'
  /** The request line's target and the rest of the request, written as is. */
  request: { method?: string, target: string, headers?: string, body?: string } | { raw: Buffer }
  check: (answer: HttpAnswer) => void
}

/** Not served: a 4xx, or the connection closed without an answer. */
const refused = (answer: HttpAnswer): void => {
  if (answer.status === 0) return expect(answer.closed).toBe(true)
  expect(answer.status, answer.body.slice(0, 200)).toBeGreaterThanOrEqual(400)
  expect(answer.status, answer.body.slice(0, 200)).toBeLessThan(500)
}

/** Nothing from outside the dashboard: the repository's package.json or sources. */
const noRepositoryFile = (answer: HttpAnswer): void => {
  expect(answer.body).not.toContain('"devDependencies"')
  expect(answer.body).not.toContain('TSUDOI_DATA_DIR')
  expect(answer.status).toBeLessThan(500)
}

/** A 4xx, or a 2xx: what the API can answer without failing. */
const answered = (answer: HttpAnswer): void => {
  expect(answer.status, answer.body.slice(0, 200)).toBeGreaterThanOrEqual(200)
  expect(answer.status, answer.body.slice(0, 200)).toBeLessThan(500)
}

const get = (target: string) => ({ target })

const UPGRADE = 'GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n'

/** A masked binary WebSocket frame [RFC 6455 5.2]; `announced` may claim more than is sent. */
function wsFrame (payload: Buffer, announced = payload.length): Buffer {
  let header: Buffer
  if (announced < 126) header = Buffer.from([0x82, 0x80 | announced])
  else if (announced < 65_536) header = Buffer.from([0x82, 0x80 | 126, announced >> 8, announced & 255])
  else {
    header = Buffer.alloc(10)
    header[0] = 0x82
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(announced), 2)
  }
  const mask = Buffer.from([1, 2, 3, 4])
  return Buffer.concat([header, mask, payload.map((byte, i) => byte ^ mask[i % 4]!)])
}

/** The WebSocket was accepted, then closed by the hub (read until the close). */
const upgradedThenClosed = (a: HttpAnswer): void => {
  expect(a.status, a.head).toBe(101)
  expect(a.closed, 'the hub closes the WebSocket').toBe(true)
}

export const httpCases: HttpCase[] = [
  { id: 'http-01', title: 'a path with ../ to package.json', as: 'anonymous', request: get('/../../package.json'), check: noRepositoryFile },
  { id: 'http-02', title: 'a path with %2e%2e/ to package.json', as: 'anonymous', request: get('/%2e%2e/%2e%2e/package.json'), check: noRepositoryFile },
  { id: 'http-03', title: 'a path with ..%2f to the config source', as: 'anonymous', request: get('/..%2f..%2fserver%2fconfig.ts'), check: noRepositoryFile },
  { id: 'http-04', title: 'a path with ..\\ (backslashes)', as: 'anonymous', request: get('/..\\..\\package.json'), check: noRepositoryFile },
  { id: 'http-05', title: 'a path holding %00', as: 'anonymous', request: get('/index.html%00.js'), check: noRepositoryFile },
  { id: 'http-06', title: 'a 100 KB header', as: 'anonymous', request: { target: '/api/health', headers: `X-Pad: ${'p'.repeat(100_000)}\r\n` }, check: (a) => { expect(a.status === 0 || a.status === 431 || a.status === 400).toBe(true) } },
  { id: 'http-07', title: 'sign-in with an object for a key', as: 'anonymous', request: { method: 'POST', target: '/api/session', headers: 'Content-Type: application/json\r\n', body: '{"accessKey":{"$ne":null}}' }, check: refused },
  { id: 'http-08', title: 'sign-in with JSON nested 10,000 deep', as: 'anonymous', request: { method: 'POST', target: '/api/session', headers: 'Content-Type: application/json\r\n', body: '{"accessKey":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}' }, check: refused },
  { id: 'http-09', title: 'sign-in with a 2 MB body', as: 'anonymous', request: { method: 'POST', target: '/api/session', headers: 'Content-Type: application/json\r\n', body: JSON.stringify({ accessKey: 'k'.repeat(2_000_000) }) }, check: refused },
  { id: 'http-10', title: 'readings from 1e20', as: 'member', request: get('/api/me/readings?from=1e20'), check: refused },
  { id: 'http-11', title: 'readings to -1e20', as: 'member', request: get('/api/me/readings?to=-1e20'), check: answered },
  { id: 'http-12', title: 'readings with limit 1e308', as: 'member', request: get('/api/me/readings?limit=1e308'), check: refused },
  { id: 'http-13', title: 'readings of metric __proto__', as: 'member', request: get('/api/me/readings?metric=__proto__'), check: answered },
  { id: 'http-14', title: 'readings of metric constructor', as: 'member', request: get('/api/me/readings?metric=constructor'), check: answered },
  { id: 'http-15', title: 'a series of one-second buckets over ten years', as: 'member', request: get('/api/me/series?metric=temperature&from=-3650d&bucket=1s'), check: answered },
  { id: 'http-16', title: 'a series from 9999-12-31', as: 'member', request: get('/api/me/series?metric=temperature&from=9999-12-31T00:00:00Z'), check: answered },
  { id: 'http-17', title: 'a comparison of one-second buckets over ten years', as: 'anonymous', request: get('/api/compare?metric=temperature&sector=all&from=-3650d&bucket=1s'), check: answered },
  { id: 'http-18', title: 'a comparison of metric constructor', as: 'anonymous', request: get('/api/compare?metric=constructor&sector=all'), check: answered },
  { id: 'http-19', title: 'open data of one-second buckets over ten years as CSV', as: 'anonymous', request: get('/api/open-data?metric=temperature&sector=all&from=-3650d&bucket=1s&format=csv'), check: answered },
  { id: 'http-20', title: 'a join code of 10,000 characters', as: 'anonymous', request: get(`/api/join/${'c'.repeat(10_000)}`), check: refused },
  { id: 'http-21', title: '4 KB of random bytes', as: 'anonymous', request: { raw: garbage(4096, 21) }, check: refused },
  {
    id: 'http-22',
    title: 'a WebSocket upgrade on /mqtt, then garbage frames',
    as: 'anonymous',
    request: { raw: Buffer.concat([Buffer.from('GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n'), garbage(4096, 22)]) },
    check: (a) => { expect(a.status === 0 || a.status === 101 || (a.status >= 400 && a.status < 500)).toBe(true) }
  },
  { id: 'http-23', title: 'MQTT over WebSocket: a remaining length of five bytes', as: 'anonymous', request: { raw: Buffer.concat([Buffer.from(UPGRADE), wsFrame(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00]))]) }, check: upgradedThenClosed },
  { id: 'http-24', title: 'MQTT over WebSocket: a CONNECT announcing 250 MB', as: 'anonymous', request: { raw: Buffer.concat([Buffer.from(UPGRADE), wsFrame(Buffer.concat([Buffer.from([0x10, 0x80, 0xe5, 0x9a, 0x77]), Buffer.alloc(60_000)]))]) }, check: upgradedThenClosed },
  { id: 'http-25', title: 'MQTT over WebSocket: a frame announcing 2^62 bytes', as: 'anonymous', request: { raw: Buffer.concat([Buffer.from(UPGRADE), wsFrame(Buffer.alloc(1000), 2 ** 62)]) }, check: upgradedThenClosed },
  { id: 'http-26', title: 'MQTT over WebSocket: a PUBLISH before CONNECT', as: 'anonymous', request: { raw: Buffer.concat([Buffer.from(UPGRADE), wsFrame(Buffer.concat([Buffer.from([0x30, 0x05, 0x00, 0x01, 0x61]), Buffer.from('xy')]))]) }, check: upgradedThenClosed }
]
