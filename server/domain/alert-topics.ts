import { NATIVE_ROOT } from './native-topics.ts'

// Where the hub publishes a member's alert states (docs/alerts.md, MQTT channel). `alerts` is
// therefore not a device id (server/registry/inputs.ts): that device's own tree
// tsudoi/<member>/alerts/ would be this one.
export const ALERTS_LEVEL = 'alerts'

export const alertTopic = (member: string, rule: string): string => `${NATIVE_ROOT}/${member}/${ALERTS_LEVEL}/${rule}`

/** The filter a member's devices may subscribe within to read its alerts. */
export const alertsFilter = (member: string): string => `${NATIVE_ROOT}/${member}/${ALERTS_LEVEL}/#`
