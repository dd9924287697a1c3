import { post } from '../api/client.ts'
import { sessionSchema } from '../api/schemas.ts'
import { t } from '../i18n/index.ts'
import { field, h } from './dom.ts'
import { errorMessage } from './status.ts'

export type SignInKind = 'member' | 'admin'

/**
 * Trades a member access key or the admin token for the hub's HttpOnly session cookie. The
 * secret goes to the hub once and is never written to browser storage.
 */
export function signInForm (kind: SignInKind, onSignedIn: () => Promise<void>): HTMLElement {
  const input = h('input', {
    type: 'password', name: kind === 'member' ? 'accessKey' : 'adminToken', required: true,
    autocomplete: kind === 'member' ? 'current-password' : 'off', spellcheck: 'false', autocapitalize: 'off'
  })
  const message = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'))
  const form = h('form', { class: 'card sign-in' },
    h('h2', null, kind === 'member' ? t('signin.memberTitle') : t('signin.adminTitle')),
    field(kind === 'member' ? t('signin.accessKey') : t('signin.adminToken'), input, t(kind === 'member' ? 'signin.memberHint' : 'signin.adminHint')),
    message,
    submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit.disabled = true
    message.hidden = true
    void signIn(kind, input.value.trim())
      .then(onSignedIn)
      .catch((error: unknown) => {
        message.textContent = errorMessage(error)
        message.hidden = false
        input.focus()
      })
      .finally(() => { submit.disabled = false })
  })
  return form
}

export function signIn (kind: SignInKind, secret: string) {
  return post('/api/session', kind === 'member' ? { accessKey: secret } : { adminToken: secret }, sessionSchema)
}
