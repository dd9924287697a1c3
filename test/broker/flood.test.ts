import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provisioned, type TestHub, provision, startTestHub } from '../helpers/hub.ts'
import { qos0Publish } from '../helpers/raw-mqtt.ts'
import { rawDevice } from './raw-client.ts'

// Stock aedes dies under a QoS 0 flood with "Maximum call stack size exceeded"
// (moscajs/aedes#193): each packet's handler finishes synchronously and reads the next chunk
// from inside the last one. The hub's handlers answer through the group committer, so a flood
// is read chunk by chunk at the pace of the commits, on either path.

const PINGREQ = Buffer.from([0xc0, 0])

for (const fastPath of ['on', 'off']) {
  describe(`a QoS 0 flood is shed, not fatal (fast path ${fastPath})`, () => {
    let t: TestHub
    let p: Provisioned
    beforeAll(async () => {
      t = await startTestHub({ TSUDOI_FAST_PATH: fastPath })
      p = await provision(t, 'flood', 'retail')
    })
    afterAll(async () => { await t?.stop() })

    it('20,000 refused QoS 0 PUBLISHes in one burst, then a PINGREQ is answered', async () => {
      const device = await rawDevice({ tcp: t.hub.mqttPort }, 'flood', p.device.id, p.device.token)
      const bad = qos0Publish(p.device.topic, 'x') // INVALID_JSON, refused without a reading
      await device.write(Buffer.concat([...Array.from({ length: 20_000 }, () => bad), PINGREQ]))
      await device.until(() => device.packets.some((x) => x.cmd === 'pingresp'), 60_000)
      expect(device.packets.map((x) => x.cmd)).toEqual(['connack', 'pingresp'])
      device.destroy()
    }, 90_000)
  })
}
