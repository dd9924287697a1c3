import { ApiError, get, post } from '../api/client.ts'
import { type JoinInfo, type Joined, joinInfoSchema, joinedSchema } from '../api/schemas.ts'
import { type AppContext, Disposer, type Page } from '../context.ts'
import { sectors } from '../domain.ts'
import { errorText, fmtDate, sectorName, t, tDynamic } from '../i18n/index.ts'
import { field, h, replaceChildren, select } from '../ui/dom.ts'
import { signIn } from '../ui/sign-in.ts'
import { errorBox, errorMessage, loading } from '../ui/status.ts'
import { type JoinMemory, joinResult } from './join-result.ts'

// The last join of this tab, in memory only (never browser storage). Re-rendering the same
// join page — a language switch, coming back from another page — shows that result again
// instead of an empty form, which would make a second member and use up another join.
let joined: JoinMemory | undefined

/**
 * `#/join/<code>`: what an attendee's phone opens from a workshop's QR code. It shows the
 * workshop, takes a business name and a sector, joins (POST /api/join), signs the attendee in
 * with the new access key, and hands over to the result view: the key once, the set-up for
 * their device, and a panel that turns green on its first reading.
 */
export function joinPage (ctx: AppContext, param: string): Page {
  const code = param.trim().toUpperCase()
  const disposer = new Disposer()
  const body = h('div', { class: 'join-body' })
  const el = h('div', { class: 'page join' }, h('h1', null, t('join.title')), body)

  const showResult = (memory: JoinMemory): void => {
    const result = joinResult(ctx, memory)
    disposer.add(result.dispose)
    replaceChildren(body, result.el)
  }

  async function load (): Promise<void> {
    replaceChildren(body, loading())
    try {
      const info = await get(`/api/join/${encodeURIComponent(code)}`, joinInfoSchema)
      if (disposer.disposed) return
      replaceChildren(body, workshopFacts(info), info.open
        ? joinForm(code, info, (result) => void adopt(result))
        : h('p', { class: 'error', role: 'alert', 'data-code': ended(info) ? 'GONE' : 'CONFLICT' }, joinErrorText(ended(info) ? 'GONE' : 'CONFLICT')))
    } catch (error) {
      if (disposer.disposed) return
      // A code of the wrong length is refused as invalid: to the attendee it is just not a code.
      const unknown = error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED')
      replaceChildren(body, unknown
        ? h('div', null, h('p', { class: 'error', role: 'alert', 'data-code': 'NOT_FOUND' }, joinErrorText('NOT_FOUND')), codeForm(code))
        : errorBox(error, () => { void load() }))
    }
  }

  /** The new member signs in at once (an HttpOnly cookie), so the stream carries its device's readings. */
  async function adopt (result: Joined): Promise<void> {
    const memory: JoinMemory = { code, result }
    joined = memory
    try {
      ctx.adoptSession(await signIn('member', result.member.accessKey))
    } catch (error) {
      memory.signInError = errorMessage(error)
    }
    if (!disposer.disposed) showResult(memory)
  }

  if (code === '') replaceChildren(body, codeForm(''))
  else if (joined?.code === code) showResult(joined)
  else void load()
  return { el, dispose: () => disposer.dispose() }
}

const ended = (info: JoinInfo): boolean => info.expiresAt <= Date.now()

/** A join error in words meant for an attendee (the generic catalogue is written for organizers). */
const joinErrorText = (code: string): string => tDynamic(`join.error.${code}`, errorText(code))

function workshopFacts (info: JoinInfo): HTMLElement {
  return h('section', { class: 'card workshop-facts', 'aria-labelledby': 'join-workshop' },
    h('p', { class: 'hint' }, t('join.workshop')),
    h('h2', { id: 'join-workshop' }, info.name),
    h('p', null, t('join.until', { date: fmtDate(info.expiresAt) })))
}

function joinForm (code: string, info: JoinInfo, onJoined: (result: Joined) => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200, autocomplete: 'organization' })
  const options = sectors.map((s): [string, string] => [s, sectorName(s)])
  const preset = info.sector !== null && (sectors as readonly string[]).includes(info.sector) ? info.sector : undefined
  const sector = select(preset === undefined ? [['', t('join.pickSector')], ...options] : options, preset ?? '', { name: 'sector', required: true })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('join.submit'))
  const form = h('form', { class: 'card join-form' },
    field(t('join.name'), name, t('join.nameHint')),
    field(t('join.sector'), sector),
    message,
    submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit.disabled = true
    submit.textContent = t('join.joining')
    message.hidden = true
    void post('/api/join', { code, name: name.value.trim(), sector: sector.value }, joinedSchema)
      .then(onJoined)
      .catch((error: unknown) => {
        const errorCode = error instanceof ApiError ? error.code : 'UNEXPECTED'
        message.textContent = joinErrorText(errorCode)
        message.dataset.code = errorCode
        message.hidden = false
        submit.disabled = false
        submit.textContent = t('join.submit')
      })
  })
  return form
}

/** For a code typed by hand (read aloud in the room), or one that was mistyped. */
function codeForm (code: string): HTMLElement {
  const input = h('input', {
    type: 'text', name: 'code', required: true, minlength: 4, maxlength: 16, value: code,
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', class: 'join-code'
  })
  const form = h('form', { class: 'card code-form' }, field(t('join.code'), input, t('join.codeHint')), h('button', { type: 'submit', class: 'primary' }, t('join.next')))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    location.hash = `#/join/${encodeURIComponent(input.value.trim().toUpperCase())}`
  })
  return form
}
