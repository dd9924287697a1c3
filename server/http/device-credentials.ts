import type { Device } from '../registry/registry.ts'
import { devicePrefix } from '../domain/native-topics.ts'
import type { MqttEndpoints } from './context.ts'
import { deviceSetup } from './device-setup.ts'

/** The one response that shows a device's token; afterwards only its hash exists. */
export function deviceCredentials (device: Device, token: string, mqtt: MqttEndpoints) {
  return {
    ...device,
    token,
    mqtt: {
      host: mqtt.host,
      port: mqtt.port,
      wsPath: mqtt.wsPath,
      wsUrl: mqtt.wsUrl,
      username: device.id,
      password: token,
      topic: `${devicePrefix(device.member, device.id)}telemetry`,
      errorsTopic: `${devicePrefix(device.member, device.id)}errors`
    },
    setup: deviceSetup({ id: device.id, member: device.member, token, topic: device.topic, format: device.format }, mqtt)
  }
}
