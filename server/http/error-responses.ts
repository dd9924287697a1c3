import { errorBody } from '../api-schemas/common.ts'

/**
 * The error answers every route may give, `{error: {code, message, details?}}`
 * (error-handler.ts), declared so they are documented and encoded like any answer.
 */
export const errorResponses = {
  '4xx': errorBody.describe('a refused request: the code says why (server/errors.ts)'),
  '5xx': errorBody.describe('the hub failed (INTERNAL); details are in its log, never in the answer')
}
