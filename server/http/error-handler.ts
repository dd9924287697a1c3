import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { TsudoiError } from '../errors.ts'

/** Maps every error to `{error: {code, message, details?}}` with the catalogue's status (server/errors.ts). */
export function errorHandler (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof TsudoiError) {
    void reply.status(error.status).send({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } })
    return
  }
  const fastifyError = error as FastifyError
  if (fastifyError.statusCode === 429) {
    void reply.status(429).send({ error: { code: 'RATE_LIMITED', message: error.message } })
    return
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    // Fastify's own 4xx (malformed JSON body, body too large, unsupported media type).
    void reply.status(fastifyError.statusCode).send({ error: { code: 'VALIDATION_FAILED', message: error.message } })
    return
  }
  request.log.error({ err: error }, 'request failed')
  void reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } })
}
