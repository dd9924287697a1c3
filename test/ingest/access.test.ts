import { describe, expect, it } from 'vitest'
import type { DeviceIdentity } from '../../server/domain/identity.ts'
import { mayPublish, maySubscribe } from '../../server/ingest/access.ts'

// The broker's two access decisions in one module (server/ingest/access.ts): whole
// answers for a device of each kind, as another member would try them.
const device = (id: string, member: string, format: DeviceIdentity['format'], topic: string): DeviceIdentity =>
  ({ id, member, format, topic, sector: 'restaurant', workshop: null } as unknown as DeviceIdentity)

describe('access decisions', () => {
  const alice = device('alice-plug', 'alice', 'tasmota', 'alice_plug')
  const bob = device('bob-sensor', 'bob', 'json', 'bob-sensor')

  it('lets a device publish inside its own tree only', () => {
    expect([
      mayPublish(alice, 'tele/alice_plug/SENSOR'), mayPublish(alice, 'tele/bob-sensor/SENSOR'),
      mayPublish(bob, 'tsudoi/bob/bob-sensor/telemetry'), mayPublish(bob, 'tsudoi/alice/alice-plug/telemetry'),
      mayPublish(bob, 'tele/alice_plug/SENSOR'), mayPublish(bob, 'tsudoi/alice/alerts/r1')
    ]).toEqual([true, false, true, false, false, false])
  })

  it('lets a device subscribe within its own tree and its member\'s alerts, never wider', () => {
    expect([
      maySubscribe(alice, 'cmnd/alice_plug/#'), maySubscribe(alice, 'cmnd/#'), maySubscribe(alice, '#'),
      maySubscribe(alice, 'tsudoi/alice/alerts/#'), maySubscribe(alice, 'tsudoi/bob/alerts/#'), maySubscribe(alice, 'tsudoi/+/alerts/#'),
      maySubscribe(bob, 'cmnd/alice_plug/POWER')
    ]).toEqual([true, false, false, true, false, false, false])
  })
})
