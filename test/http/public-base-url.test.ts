import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import { reachableHost } from '../../server/network-address.ts'
import { publicBaseUrl } from '../../server/http/public-base-url.ts'

const request = (host: string, protocol = 'http'): FastifyRequest => {
  const [hostname, port] = host.startsWith('[') ? [host.slice(0, host.indexOf(']') + 1), host.split(']:')[1]] : host.split(':')
  return { host, hostname, port: port === undefined ? null : Number(port), protocol } as unknown as FastifyRequest
}

describe('the join URL a phone opens', () => {
  it('is TSUDOI_PUBLIC_URL when set, without a trailing slash', () => {
    expect(publicBaseUrl(request('localhost:8080'), '0.0.0.0', 'https://tsudoi.example.jp/')).toBe('https://tsudoi.example.jp')
  })

  it('keeps the address the organizer used when a phone can reach it too', () => {
    expect(publicBaseUrl(request('192.168.10.5:8080'), '0.0.0.0', undefined)).toBe('http://192.168.10.5:8080')
    expect(publicBaseUrl(request('hub.local:8080'), '0.0.0.0', undefined)).toBe('http://hub.local:8080')
  })

  it('replaces a loopback name with the hub\'s LAN address (on a phone, localhost is the phone)', () => {
    const lan = reachableHost('0.0.0.0', undefined)
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080']) {
      expect(publicBaseUrl(request(host), '0.0.0.0', undefined)).toBe(`http://${lan}:8080`)
    }
    expect(publicBaseUrl(request('localhost:8080'), '10.1.2.3', undefined)).toBe('http://10.1.2.3:8080')
  })
})
