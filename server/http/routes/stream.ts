import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { security } from '../api-docs.ts'
import type { HttpContext } from '../context.ts'
import { errorResponses } from '../error-responses.ts'

const COMMUNITY_EVERY_MS = 5000
const KEEPALIVE_EVERY_MS = 25_000
// Live means recent: a backfill or an offline backlog (a week of history arriving at once)
// is for the charts' next query, not tens of thousands of events for a phone.
const LIVE_WITHIN_MS = 10 * 60_000
// What may wait in the hub for one slow client (a phone on a weak link, a tab in the
// background, a client that never reads): past it the stream is closed, the browser's
// EventSource reconnects (`retry` below) and the dashboard reloads what it missed. Without a
// bound, every event for a client that does not read stays in the hub's memory (issue 12, item 10).
export const MAX_BUFFERED_BYTES = 1024 * 1024

/**
 * Server-Sent Events for the dashboard: the signed-in member's own readings and device
 * status as they are committed, and community counters for everyone. Another member's
 * readings never enter this stream (the filter is by the member the session belongs to).
 */
export async function streamRoutes (app: FastifyInstance, ctx: HttpContext): Promise<void> {
  app.get('/api/stream', {
    schema: {
      tags: ['member', 'community'],
      summary: 'Server-Sent Events: the signed-in member\'s readings, device status and refusals; community counters for everyone',
      security: security.optional,
      response: { 200: { description: 'events reading, device, refusal, community (docs/api.md, "Live stream")', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses }
    }
  }, async (request, reply) => {
    const caller = ctx.auth.caller(request)
    const memberId = caller.role === 'member' ? caller.member.id : undefined
    reply.hijack()
    const out = reply.raw
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    })
    let closed = false
    const write = (text: string): void => {
      if (closed || out.destroyed) return
      out.write(text)
      if (out.writableLength > MAX_BUFFERED_BYTES) {
        ctx.metrics.liveStreamsDropped.inc()
        close()
        out.destroy()
      }
    }
    const send = (event: string, data: unknown): void => { write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) }
    write('retry: 3000\n\n')
    const community = (): void => send('community', {
      devicesOnline: ctx.activity.devicesOnline,
      readingsLastMinute: ctx.activity.readingsWithin(60),
      members: ctx.registry.members().length
    })
    community()
    const unsubscribe = memberId === undefined
      ? []
      : [
          ctx.bus.on('readings', (readings) => {
            const recent = ctx.clock() - LIVE_WITHIN_MS
            for (const r of readings) {
              if (r.member === memberId && r.time >= recent) send('reading', { time: r.time, device: r.device, metric: r.metric, value: r.value })
            }
          }),
          ctx.bus.on('deviceStatus', (d) => {
            if (d.member === memberId) send('device', { id: d.id, online: d.online, lastSeen: d.lastSeen })
          }),
          ctx.bus.on('refusal', (r) => {
            if (r.member === memberId) send('refusal', { device: r.device, code: r.code, message: r.message, topic: r.topic, time: r.time })
          })
        ]
    // A stream outlives nothing it was opened with: once its session or key has ended (sign-out,
    // key rotation, member deletion, workshop expiry), the next tick ends the stream.
    const stillAllowed = (): boolean => {
      try {
        const now = ctx.auth.caller(request)
        return now.role === caller.role && (now.role !== 'member' || now.member.id === memberId)
      } catch {
        return false
      }
    }
    const tick = (): void => {
      if (stillAllowed()) return community()
      close()
      out.end()
    }
    const timers = [setInterval(tick, COMMUNITY_EVERY_MS), setInterval(() => write(': keepalive\n\n'), KEEPALIVE_EVERY_MS)]
    function close (): void {
      if (closed) return
      closed = true
      for (const timer of timers) clearInterval(timer)
      for (const off of unsubscribe) off()
    }
    request.raw.on('close', close)
  })
}
