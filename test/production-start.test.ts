import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'

// The README's first command, `npm start`, for real: it compiles the hub (npm run build) and runs
// build/server/main.js with no TypeScript loader — the embedded store's writer thread included.
describe('npm start (compiled)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsudoi-start-'))
  let child: ChildProcess | undefined
  afterAll(() => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('builds, serves the API, stores an MQTT reading through its worker thread, and stops on Ctrl-C', async () => {
    child = spawn('npm', ['start', '--silent'], {
      detached: true,
      env: {
        PATH: process.env.PATH ?? '', TSUDOI_DATA_DIR: dataDir, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0',
        TSUDOI_HTTP_PORT: '0', TSUDOI_ADMIN_TOKEN: 'tsa_production_start_test_token'
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString() })
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString() })
    const exited = new Promise<{ code: number | null, signal: string | null }>((resolve) => child!.on('exit', (code, signal) => resolve({ code, signal })))
    const urls = await new Promise<{ http: string, mqtt: string }>((resolve, reject) => {
      child!.stdout!.on('data', () => {
        const http = /Dashboard & API\s+(http:\/\/\S+)/.exec(out)?.[1]
        const mqttUrl = /MQTT \(TCP\)\s+(mqtt:\/\/\S+)/.exec(out)?.[1]
        if (http !== undefined && mqttUrl !== undefined) resolve({ http, mqtt: mqttUrl })
      })
      void exited.then(() => reject(new Error(`npm start exited early:\n${out}`)))
    })
    expect(out).not.toContain('tsx')

    const admin = async (path: string, body: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const response = await fetch(`${urls.http}${path}`, { method: 'POST', headers: { authorization: 'Bearer tsa_production_start_test_token', 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return response.json()
    }
    expect((await fetch(`${urls.http}/api/health`)).status).toBe(200)
    const member = await admin('/api/admin/members', { id: 'compiled', name: 'Compiled Cafe', sector: 'restaurant' })
    const device = await admin('/api/admin/devices', { member: 'compiled', name: 'Fridge', id: 'compiled-fridge' })
    const client = await mqtt.connectAsync(urls.mqtt, { username: device.id, password: device.token, reconnectPeriod: 0 })
    await client.publishAsync(device.mqtt.topic, JSON.stringify({ temperature: 4.25 }), { qos: 1 })
    await client.endAsync()
    const readings = await (await fetch(`${urls.http}/api/me/readings?metric=temperature`, { headers: { authorization: `Bearer ${member.accessKey}` } })).json()
    expect(readings.readings).toMatchObject([{ device: 'compiled-fridge', metric: 'temperature', value: 4.25 }])

    process.kill(-child.pid!, 'SIGINT')
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await exited)
    expect(out).toMatch(/SIGINT: stopping…\n[^]*$/)
  }, 240_000)
})
