import type { Notification } from '../outbox.ts'

// The words of an e-mail or a LINE message, in Japanese then English (a member has no
// language setting yet; the dashboard's is the browser's). Plain text: nothing a member named
// is interpreted as markup anywhere it is shown.

const valueText = (n: Notification): string => n.value === null ? '' : ` = ${n.value}`

export function subject (n: Notification): string {
  return n.state === 'firing'
    ? `【警報】${n.name} / [Alert] ${n.name}`
    : `【復旧】${n.name} / [Cleared] ${n.name}`
}

export function bodyText (n: Notification, timeZone: string): string {
  const at = new Date(n.time)
  const ja = at.toLocaleString('ja-JP', { timeZone })
  const en = at.toLocaleString('en-GB', { timeZone })
  const what = `${n.device}${n.metric === null ? '' : ` ${n.metric}`}${valueText(n)}`
  const lines = n.state === 'firing'
    ? [`警報「${n.name}」が発生しました。`, `${what}（${ja}）`, '', `Alert "${n.name}" is firing.`, `${what} (${en})`]
    : [`警報「${n.name}」は解除されました。`, `${what}（${ja}）`, '', `Alert "${n.name}" has cleared.`, `${what} (${en})`]
  return [...lines, '', `ID: ${n.alert}`].join('\n')
}
