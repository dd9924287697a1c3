import type { SimDevice } from './community.ts'

// The native topics a simulated device uses (docs/architecture.md, "The native topics"; server/domain/native-topics.ts).
const prefix = (device: SimDevice): string => `tsudoi/${device.member.id}/${device.id}/`

export const telemetryTopic = (device: SimDevice): string => `${prefix(device)}telemetry`
export const metricTopic = (device: SimDevice, metric: string): string => `${prefix(device)}${metric}`
export const statusTopic = (device: SimDevice): string => `${prefix(device)}status`
export const errorsTopic = (device: SimDevice): string => `${prefix(device)}errors`
