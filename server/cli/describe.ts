/* eslint-disable @typescript-eslint/no-explicit-any -- reads a few known fields of the admin API's JSON answers (docs/api.md) */

/** The admin API's answer as a few lines for a terminal (`--json` prints it whole instead). */
export function describeResult (result: any): string {
  if (result.members) return result.members.map((m: any) => `${m.id}\t${m.sector}\t${m.name}\t${m.devices} device(s)`).join('\n') || '(no members)'
  if (result.devices) return result.devices.map((d: any) => `${d.id}\t${d.member}\t${d.format}\t${d.online ? 'online' : 'offline'}\t${d.name}`).join('\n') || '(no devices)'
  if (result.workshops) {
    return result.workshops.map((w: any) => `${w.id}\t${w.code}\t${w.ended || w.expiresAt <= Date.now() ? 'ended' : `until ${new Date(w.expiresAt).toISOString()}`}\t${w.members} member(s)\t${w.joinUrl}`).join('\n') || '(no workshops)'
  }
  if (result.mqtt) return `device ${result.id} (member ${result.member})\n  MQTT username: ${result.mqtt.username}\n  MQTT password: ${result.token}   (shown only now)\n  topic:         ${result.mqtt.topic}`
  if (result.accessKey && result.id) return `member ${result.id} (${result.sector})\n  access key: ${result.accessKey}   (shown only now)`
  if (result.accessKey) return `new access key: ${result.accessKey}`
  if (result.token) return `new token: ${result.token}`
  if (result.code && result.joinUrl) return `workshop ${result.id}: join code ${result.code}\n  join page: ${result.joinUrl}\n  QR code:   ${result.qr}`
  return 'done'
}
