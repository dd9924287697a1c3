import { alertTopic } from '../../domain/alert-topics.ts'
import type { DueDelivery } from '../outbox.ts'
import { type Sender, SendError } from './sender.ts'

/** Publishes through the embedded broker; resolves once it has taken the message. */
export type RetainedPublish = (topic: string, payload: string) => Promise<void>

/**
 * The rule's state, retained, on `tsudoi/<member>/alerts/<rule id>` (QoS 1): Home Assistant or
 * Node-RED, logged in as one of the member's devices, subscribes there and reads the current
 * state on connecting. The broker lets only the member's own devices subscribe (server/broker/broker.ts).
 */
export function mqttSender (publish: RetainedPublish): Sender {
  return async (delivery: DueDelivery): Promise<void> => {
    if (delivery.channel.type !== 'mqtt') throw new SendError('not an MQTT channel')
    try {
      await publish(alertTopic(delivery.member, delivery.rule), JSON.stringify(delivery.notification))
    } catch (error) {
      throw new SendError(`MQTT: ${(error as Error).message}`)
    }
  }
}
