import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, connectDevice, provision, startTestHub } from '../helpers/hub.ts'
import { startReceiver, until } from './receivers.ts'

// E-mail through a real SMTP server (smtp-server, parsed with mailparser), LINE's push API
// as its reference specifies it (a local server checks path, headers and body), and an
// unreachable webhook: retried, then a dead letter, while the other channels deliver.

const LINE_TOKEN = 'line-channel-token-for-tests'
const LINE_USER = `U${'4af4980629'.padEnd(32, '0')}`

describe('e-mail, LINE and an unreachable webhook on one rule', () => {
  let t: TestHub
  let alice: Provisioned
  let smtp: SMTPServer
  const mails: Array<{ envelope: { from: string, to: string[] }, mail: ParsedMail }> = []
  let line: Awaited<ReturnType<typeof startReceiver>>
  let closedPort: number

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData (stream, session, callback) {
        simpleParser(stream).then((mail) => {
          const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address
          mails.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, mail })
          callback()
        }, callback)
      }
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    const smtpPort = (smtp.server.address() as AddressInfo).port
    line = await startReceiver()
    // A port nobody listens on: connections are refused.
    const gone = await startReceiver()
    closedPort = gone.port
    await gone.close()
    t = await startTestHub({
      TSUDOI_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      TSUDOI_SMTP_FROM: 'alerts@tsudoi.test',
      TSUDOI_LINE_CHANNEL_TOKEN: LINE_TOKEN,
      TSUDOI_LINE_API_BASE: line.url,
      TSUDOI_ALERT_WEBHOOK_PRIVATE: 'on',
      TSUDOI_ALERT_RETRY: '20ms',
      TSUDOI_ALERT_MAX_ATTEMPTS: '3'
    })
    alice = await provision(t, 'alice')
  })
  afterAll(async () => {
    await t.stop()
    await line.close()
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
  })

  it('the mail and the LINE push arrive as specified; the dead webhook is retried three times, then listed for the organizer', async () => {
    const created = await t.api('/api/me/alerts', {
      token: alice.member.accessKey,
      body: {
        name: '酸素が低い', device: alice.device.id, metric: 'dissolved_oxygen', condition: { type: 'below', value: 4 },
        channels: [{ type: 'webhook', url: `http://127.0.0.1:${closedPort}/hook` }, { type: 'email', to: 'owner@umi.example' }, { type: 'line', to: LINE_USER }]
      }
    })
    expect(created.status).toBe(201)
    const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
    await device.publishAsync(`tsudoi/alice/${alice.device.id}/dissolved_oxygen`, '3.2', { qos: 1 })
    await device.endAsync()

    const [push] = await line.received(1)
    expect(push!.method).toBe('POST')
    expect(push!.url).toBe('/v2/bot/message/push')
    expect(push!.headers.authorization).toBe(`Bearer ${LINE_TOKEN}`)
    expect(push!.headers['content-type']).toBe('application/json')
    expect(push!.headers['x-line-retry-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const body = JSON.parse(push!.body)
    expect(Object.keys(body)).toEqual(['to', 'messages'])
    expect(body.to).toBe(LINE_USER)
    expect(body.messages).toEqual([{ type: 'text', text: expect.any(String) }])
    const text: string = body.messages[0].text
    expect(text).toContain('警報「酸素が低い」が発生しました。')
    expect(text).toContain('Alert "酸素が低い" is firing.')
    expect(text).toContain(`${alice.device.id} dissolved_oxygen = 3.2`)

    const mail = await until(() => mails[0], 'the mail')
    expect(mail.envelope).toEqual({ from: 'alerts@tsudoi.test', to: ['owner@umi.example'] })
    expect(mail.mail.subject).toBe('【警報】酸素が低い / [Alert] 酸素が低い')
    expect(mail.mail.from?.text).toBe('alerts@tsudoi.test')
    expect(mail.mail.text).toBe(text + '\n')

    const dead = await until(async () => {
      const r = await t.admin('/api/admin/alerts/dead-letters')
      return r.body.deadLetters.length > 0 ? r.body.deadLetters : undefined
    }, 'a dead letter')
    expect(dead).toEqual([{
      id: expect.any(String), member: 'alice', rule: created.body.id, event: expect.any(String), channel: 'webhook',
      // The origin only: a webhook URL's path may be its secret.
      target: `http://127.0.0.1:${closedPort}`, attempts: 3, error: expect.stringContaining('ECONNREFUSED'),
      createdAt: expect.any(Number), lastAttemptAt: expect.any(Number)
    }])
    const [event] = (await t.api('/api/me/alerts/events', { token: alice.member.accessKey })).body.events
    expect(event.deliveries).toEqual([
      { channel: 'webhook', status: 'dead', attempts: 3, error: expect.stringContaining('ECONNREFUSED'), sentAt: null },
      { channel: 'email', status: 'sent', attempts: 1, error: null, sentAt: expect.any(Number) },
      { channel: 'line', status: 'sent', attempts: 1, error: null, sentAt: expect.any(Number) }
    ])
    expect(mails).toHaveLength(1)
    expect(line.requests).toHaveLength(1)
    // What an operator's Prometheus sees of it.
    const metrics = await (await fetch(`${t.hub.httpUrl}/metrics`)).text()
    expect(metrics.split('\n').filter((l) => l.startsWith('tsudoi_alert_')).sort()).toEqual([
      'tsudoi_alert_delivery_attempts_total{channel="email",outcome="sent"} 1',
      'tsudoi_alert_delivery_attempts_total{channel="line",outcome="sent"} 1',
      'tsudoi_alert_delivery_attempts_total{channel="webhook",outcome="dead"} 1',
      'tsudoi_alert_delivery_attempts_total{channel="webhook",outcome="retry"} 2',
      'tsudoi_alert_events_total{kind="fired"} 1'
    ])
  })

  it('webhooks that hang hold only webhook slots: a LINE push made after nine of them still goes out at once', async () => {
    // A receiver that answers nothing until released.
    const held: Array<() => void> = []
    const { createServer } = await import('node:http')
    const slow = createServer((_req, res) => { held.push(() => res.end()) })
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`
    try {
      const create = async (name: string, channel: unknown) => {
        const r = await t.api('/api/me/alerts', { token: alice.member.accessKey, body: { name, device: alice.device.id, metric: 'co2', condition: { type: 'above', value: 1500 }, channels: [channel] } })
        expect(r.status).toBe(201)
      }
      for (let i = 0; i < 9; i++) await create(`slow ${i}`, { type: 'webhook', url: slowUrl })
      await create('CO2 high', { type: 'line', to: LINE_USER })
      const before = line.requests.length
      const device = await connectDevice(t.hub.mqttUrl, alice.device.id, alice.device.token)
      await device.publishAsync(`tsudoi/alice/${alice.device.id}/co2`, '2100', { qos: 1 })
      await device.endAsync()
      const pushes = await line.received(before + 1)
      expect(JSON.parse(pushes[before]!.body).messages[0].text).toContain('警報「CO2 high」が発生しました。')
      expect(held.length).toBeLessThanOrEqual(4)
    } finally {
      for (const release of held.splice(0)) release()
      slow.closeAllConnections()
      await new Promise<void>((resolve) => slow.close(() => resolve()))
    }
  })
})
