import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestHub, connectDevice, startTestHub } from '../helpers/hub.ts'

const run = promisify(execFile)

describe('admin API', () => {
  let t: TestHub
  beforeAll(async () => { t = await startTestHub() })
  afterAll(async () => { await t?.stop() })

  it('registers a member and returns its access key once', async () => {
    const created = await t.admin('/api/admin/members', { name: '民宿 しおさい', sector: 'accommodation', rooms: 8 })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^m-[0-9a-f]{6}$/), name: '民宿 しおさい', sector: 'accommodation', sharing: true,
      floorArea: null, seats: null, rooms: 8, workshop: null, createdAt: expect.any(Number), accessKey: expect.stringMatching(/^tsk_/)
    })
    const listed = await t.admin('/api/admin/members')
    expect(listed.body.members).toEqual([{ ...created.body, accessKey: undefined, devices: 0 }].map(({ accessKey, ...m }) => m))
  })

  it('makes slugs from Latin names and takes a given id', async () => {
    const named = await t.admin('/api/admin/members', { name: 'Kaze Bakery', sector: 'retail' })
    expect(named.body.id).toMatch(/^kaze-bakery-[0-9a-f]{6}$/)
    const given = await t.admin('/api/admin/members', { id: 'shop-1', name: 'Shop', sector: 'retail' })
    expect(given.body.id).toBe('shop-1')
    const again = await t.admin('/api/admin/members', { id: 'shop-1', name: 'Shop', sector: 'retail' })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('CONFLICT')
  })

  it('answers wrong or missing fields with 400 and one message per field', async () => {
    const bad = await t.admin('/api/admin/members', { id: 'Bad Id', sector: 'bakery', seats: -1 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['id', 'name', 'seats', 'sector'])
    const device = await t.admin('/api/admin/devices', { member: 'shop-1', name: 'x', format: 'zwave' })
    expect(device.status).toBe(400)
    expect(device.body.error.details.fields).toEqual([{ field: 'format', message: expect.stringContaining('tasmota') }])
    const unknown = await t.admin('/api/admin/devices', { member: 'nobody', name: 'x' })
    expect(unknown.status).toBe(404)
  })

  it('refuses callers without the admin token', async () => {
    expect((await t.api('/api/admin/members')).status).toBe(401)
    expect((await t.api('/api/admin/members', { token: 'nope' })).status).toBe(401)
    const member = await t.admin('/api/admin/members', { name: 'Member', sector: 'office' })
    const asMember = await t.api('/api/admin/members', { token: member.body.accessKey })
    expect(asMember.status).toBe(403)
  })

  it('creates a device with MQTT settings, shows its token once, rotates it and deletes it', async () => {
    const created = await t.admin('/api/admin/devices', { member: 'shop-1', name: 'Fridge', id: 'shop-1-fridge' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: 'shop-1-fridge', member: 'shop-1', name: 'Fridge', format: 'json', topic: 'shop-1-fridge', createdAt: expect.any(Number), lastSeen: null,
      token: expect.stringMatching(/^tsd_/),
      mqtt: { host: '127.0.0.1', port: t.hub.mqttPort, wsPath: '/mqtt', wsUrl: `ws://127.0.0.1:${t.hub.httpPort}/mqtt`, username: 'shop-1-fridge', password: created.body.token, topic: 'tsudoi/shop-1/shop-1-fridge/telemetry', errorsTopic: 'tsudoi/shop-1/shop-1-fridge/errors' },
      setup: {
        mosquittoPub: `mosquitto_pub -h 127.0.0.1 -p ${t.hub.mqttPort} -u 'shop-1-fridge' -P '${created.body.token}' -q 1 -t 'tsudoi/shop-1/shop-1-fridge/telemetry' -m '{"temperature": 21.5}'`,
        tasmota: expect.stringContaining(`MqttUser shop-1-fridge; MqttPassword ${created.body.token}; Topic shop-1-fridge`),
        esphome: expect.stringContaining(`password: "${created.body.token}"`),
        shelly: expect.stringContaining(`Password: ${created.body.token}`),
        arduino: expect.stringContaining(`const char* TOKEN = "${created.body.token}";`)
      }
    })
    const listed = await t.admin('/api/admin/devices?member=shop-1')
    expect(listed.body.devices).toEqual([expect.objectContaining({ id: 'shop-1-fridge', online: false })])
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token)

    const before = await connectDevice(t.hub.mqttUrl, 'shop-1-fridge', created.body.token)
    const closed = new Promise<void>((resolve) => before.once('close', () => resolve()))
    const rotated = await t.admin('/api/admin/devices/shop-1-fridge/token', {})
    await closed // the open session ends with the old token
    expect(rotated.body.token).not.toBe(created.body.token)
    await expect(connectDevice(t.hub.mqttUrl, 'shop-1-fridge', created.body.token)).rejects.toThrow(/Not authorized/i)
    const client = await connectDevice(t.hub.mqttUrl, 'shop-1-fridge', rotated.body.token)
    client.end(true)

    expect((await t.admin('/api/admin/devices/shop-1-fridge', undefined, 'DELETE')).status).toBe(204)
    expect((await t.admin('/api/admin/devices/shop-1-fridge', undefined, 'DELETE')).status).toBe(404)
  })

  it('refuses a second firmware device on the same topic', async () => {
    await t.admin('/api/admin/devices', { member: 'shop-1', name: 'Plug A', id: 'plug-a', format: 'tasmota', topic: 'plug' })
    const twin = await t.admin('/api/admin/devices', { member: 'shop-1', name: 'Plug B', id: 'plug-b', format: 'esphome', topic: 'plug' })
    expect(twin.status).toBe(409)
    expect(twin.body.error.message).toMatch(/topic plug is already used by device plug-a/)
    expect((await t.admin('/api/admin/devices', { member: 'shop-1', name: 'Plug B', id: 'plug-b', format: 'esphome', topic: 'plug-b' })).status).toBe(201)
  })

  it('makes a slug from accented Latin names', async () => {
    const created = await t.admin('/api/admin/members', { name: 'Café Müller', sector: 'restaurant' })
    expect(created.body.id).toMatch(/^cafe-muller-[0-9a-f]{6}$/)
  })

  it('rotating a member key ends the old key', async () => {
    const member = await t.admin('/api/admin/members', { name: 'Rotating', sector: 'office' })
    const rotated = await t.admin(`/api/admin/members/${member.body.id}/access-key`, {})
    expect((await t.api('/api/me', { token: member.body.accessKey })).status).toBe(401)
    expect((await t.api('/api/me', { token: rotated.body.accessKey })).status).toBe(200)
  })

  it('does the same from the CLI', async () => {
    const env = { ...process.env, TSUDOI_ADMIN_TOKEN: t.hub.adminToken }
    const cli = (...args: string[]) => run(process.execPath, ['bin/tsudoi.mjs', '--url', t.hub.httpUrl, ...args], { env })
    const member = await cli('member', 'add', '--name', 'Cli Farm', '--sector', 'agriculture', '--id', 'cli-farm', '--floor-area', '120')
    expect(member.stdout).toMatch(/member cli-farm \(agriculture\)\n {2}access key: tsk_/)
    const device = await cli('device', 'add', '--member', 'cli-farm', '--name', 'Greenhouse', '--id', 'cli-gh', '--json')
    expect(JSON.parse(device.stdout)).toMatchObject({ id: 'cli-gh', member: 'cli-farm', mqtt: { username: 'cli-gh' } })
    expect((await cli('device', 'list', '--member', 'cli-farm')).stdout).toMatch(/^cli-gh\tcli-farm\tjson\toffline\tGreenhouse/)
    await expect(cli('member', 'add', '--name', 'X', '--sector', 'spaceport')).rejects.toMatchObject({ stderr: expect.stringContaining('VALIDATION_FAILED') })
    await cli('member', 'rm', 'cli-farm')
    expect((await t.admin('/api/admin/members/cli-farm')).status).toBe(404)
  })
})
