// The hub's vocabularies the forms offer. Kept here rather than imported from server/ so the
// bundle holds no server code; test/dashboard/i18n.test.ts checks they match the hub's lists.
export const sectors = [
  'fishery', 'aquaculture', 'agriculture', 'accommodation', 'restaurant',
  'retail', 'manufacturing', 'office', 'public', 'other'
] as const

export const deviceFormats = ['json', 'plain', 'tasmota', 'esphome', 'shelly', 'zigbee2mqtt', 'homeassistant', 'auto'] as const
