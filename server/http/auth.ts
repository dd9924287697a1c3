import type { FastifyReply, FastifyRequest } from 'fastify'
import { TsudoiError } from '../errors.ts'
import { hashSecret, secretMatches } from '../registry/credentials.ts'
import type { Member, Registry } from '../registry/registry.ts'

export type Caller =
  | { role: 'admin' }
  | { role: 'member', member: Member }
  | { role: 'anonymous' }

export const SESSION_COOKIE = 'tsudoi_session'
const SESSION_DAYS = 30

/**
 * Who is calling: a bearer token (admin token or member access key) or the signed session
 * cookie the dashboard gets in exchange for one. The cookie carries a prefix of the secret's
 * hash, so rotating a key ends the sessions opened with it.
 */
export class Auth {
  private readonly adminHash: string

  constructor (private readonly registry: Registry, adminToken: string) {
    this.adminHash = hashSecret(adminToken)
  }

  caller (request: FastifyRequest): Caller {
    const header = request.headers.authorization
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
      if (token === undefined) throw new TsudoiError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"')
      return this.fromSecret(token)
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie === undefined) return { role: 'anonymous' }
    const unsigned = request.unsignCookie(cookie)
    return unsigned.valid && unsigned.value !== null ? this.fromSession(unsigned.value) : { role: 'anonymous' }
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

  /** Sets the HttpOnly session cookie for a caller who proved a secret. */
  openSession (reply: FastifyReply, secret: string, caller: Caller, secure: boolean): void {
    const value = caller.role === 'admin'
      ? `admin:${this.adminHash.slice(0, 24)}`
      : caller.role === 'member' ? `member:${caller.member.id}:${hashSecret(secret).slice(0, 24)}` : undefined
    if (value === undefined) return
    void reply.setCookie(SESSION_COOKIE, value, {
      signed: true, httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: SESSION_DAYS * 86_400
    })
  }

  closeSession (reply: FastifyReply): void {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' })
  }

  private fromSession (value: string): Caller {
    const [role, first, second] = value.split(':')
    if (role === 'admin' && first === this.adminHash.slice(0, 24)) return { role: 'admin' }
    if (role === 'member' && first !== undefined && second !== undefined) {
      const member = this.registry.member(first)
      if (member !== undefined && this.registry.accessKeyHash(first)?.startsWith(second)) return { role: 'member', member }
    }
    return { role: 'anonymous' }
  }
}
