import type { FastifyReply, FastifyRequest } from 'fastify'
import { TsudoiError } from '../errors.ts'
import { hashSecret, secretMatches } from '../registry/credentials.ts'
import type { Member, Registry } from '../registry/registry.ts'

export type Caller =
  | { role: 'admin' }
  | { role: 'member', member: Member }
  | { role: 'anonymous' }

export const SESSION_COOKIE = 'tsudoi_session'

/**
 * Who is calling: a bearer token (admin token or member access key) or the signed session
 * cookie the dashboard gets in exchange for one. The cookie carries only a random session id;
 * the session itself lives in the registry (server/registry/sessions.ts), which is what lets
 * sign-out, key rotation, member deletion, workshop expiry and a new admin token end it.
 */
export class Auth {
  private readonly adminHash: string
  private readonly adminGeneration: string

  constructor (private readonly registry: Registry, adminToken: string) {
    this.adminHash = hashSecret(adminToken)
    this.adminGeneration = registry.sessions.adminGeneration(adminToken)
  }

  caller (request: FastifyRequest): Caller {
    const header = request.headers.authorization
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
      if (token === undefined) throw new TsudoiError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"')
      return this.fromSecret(token)
    }
    const id = this.sessionId(request)
    return id === undefined ? { role: 'anonymous' } : this.fromSession(id)
  }

  fromSecret (secret: string): Caller {
    if (secretMatches(secret, this.adminHash)) return { role: 'admin' }
    const member = this.registry.memberByAccessKey(secret)
    if (member === undefined) throw new TsudoiError('UNAUTHORIZED', 'unknown access key or admin token')
    return { role: 'member', member }
  }

  requireAdmin (request: FastifyRequest): void {
    const caller = this.caller(request)
    if (caller.role === 'admin') return
    throw new TsudoiError(caller.role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN', 'the admin token is required')
  }

  requireMember (request: FastifyRequest): Member {
    const caller = this.caller(request)
    if (caller.role === 'member') return caller.member
    throw new TsudoiError(caller.role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN', 'a member access key is required')
  }

  /**
   * Opens a new session for a caller who proved `secret` and sets its HttpOnly cookie. Every
   * sign-in is a session of its own, ending no later than what it was issued for (a workshop
   * member's workshop).
   */
  openSession (reply: FastifyReply, secret: string, caller: Caller, secure: boolean): void {
    const grant = caller.role === 'admin'
      ? { role: 'admin' as const, credential: this.adminGeneration }
      : caller.role === 'member' ? { role: 'member' as const, member: caller.member.id, credential: hashSecret(secret) } : undefined
    if (grant === undefined) return
    const { id, lifetimeMs } = this.registry.sessions.open(grant)
    void reply.setCookie(SESSION_COOKIE, id, {
      ...COOKIE_OPTIONS, secure, signed: true, maxAge: Math.max(1, Math.floor(lifetimeMs / 1000))
    })
  }

  /** Sign-out: the session is deleted on the server, so a copy of the cookie is worth nothing after. */
  closeSession (request: FastifyRequest, reply: FastifyReply, secure: boolean): void {
    const id = this.sessionId(request)
    if (id !== undefined) this.registry.sessions.end(id)
    void reply.clearCookie(SESSION_COOKIE, { ...COOKIE_OPTIONS, secure })
  }

  /** The session id of a cookie whose signature holds, else undefined (a forged cookie is anonymous). */
  private sessionId (request: FastifyRequest): string | undefined {
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie === undefined) return undefined
    const unsigned = request.unsignCookie(cookie)
    return unsigned.valid && unsigned.value !== null && unsigned.value !== '' ? unsigned.value : undefined
  }

  private fromSession (id: string): Caller {
    const holder = this.registry.sessions.holder(id, this.adminGeneration)
    if (holder === undefined) return { role: 'anonymous' }
    if (holder.role === 'admin') return { role: 'admin' }
    const member = this.registry.member(holder.member)
    return member === undefined ? { role: 'anonymous' } : { role: 'member', member }
  }
}

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'strict', path: '/' } as const
