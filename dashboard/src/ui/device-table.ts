import type { DeviceStatus } from '../api/schemas.ts'
import { fmtDate, fmtValue, t } from '../i18n/index.ts'
import { h, table } from './dom.ts'
import { statusBadge } from './status.ts'

/** The member's devices; rows update in place from the stream's `device` and battery readings. */
export function deviceTable (devices: readonly DeviceStatus[]) {
  const rows = new Map<string, { status: HTMLElement, lastSeen: HTMLElement, battery: HTMLElement }>()
  const cells = devices.map((device) => {
    const status = h('span', { class: 'status-cell' }, statusBadge(device.online))
    const lastSeen = h('span', null, device.lastSeen === null ? t('status.never') : fmtDate(device.lastSeen))
    const battery = h('span', null, device.battery === null ? t('common.none') : fmtValue(device.battery, 'battery'))
    rows.set(device.id, { status, lastSeen, battery })
    return [h('span', { class: 'device-name' }, h('strong', null, device.name), h('br'), h('code', null, device.id)), status, lastSeen, battery]
  })
  const el = devices.length === 0
    ? h('p', { class: 'empty' }, t('me.noDevices'))
    : table(t('me.devices'), [t('me.device'), t('me.status'), t('me.lastSeen'), t('me.battery')], cells, 'data devices')

  return {
    el,
    setStatus (id: string, online: boolean, lastSeen: number | null): void {
      const row = rows.get(id)
      if (row === undefined) return
      row.status.replaceChildren(statusBadge(online))
      if (lastSeen !== null) row.lastSeen.textContent = fmtDate(lastSeen)
    },
    seen (id: string, time: number): void {
      const row = rows.get(id)
      if (row !== undefined) row.lastSeen.textContent = fmtDate(time)
    },
    setBattery (id: string, percent: number): void {
      const row = rows.get(id)
      if (row !== undefined) row.battery.textContent = fmtValue(percent, 'battery')
    }
  }
}
