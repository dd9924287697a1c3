import { describeTokenSources, organizerToken } from './organizer-token.ts'

/** A failure the CLI reports as one line and exit code 1. */
export class CliError extends Error {}

export interface ApiError { code?: string, message?: string, details?: { fields?: Array<{ field: string, message: string }> } }

/**
 * Calls the hub's admin API. A hub that does not answer is reported with the address tried and
 * how to start one (`fetch failed` alone tells an organizer nothing); API errors keep their code.
 */
export function adminApiClient (options: { url: string, token: string | undefined, env: Record<string, string | undefined>, fieldName: (field: string) => string }) {
  return async function call (method: string, path: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- printed or picked apart by describe()
    const token = organizerToken(options.token, options.env)
    if (token === undefined) throw new CliError(describeTokenSources('--token', options.env))
    let response: Response
    try {
      response = await fetch(new URL(path, options.url), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
      throw new CliError(`no hub answered at ${options.url} (${cause}). Start one with \`npm start\` in the Tsudoi folder, or pass --url to reach another hub.`)
    }
    const text = await response.text()
    let parsed: { error?: ApiError } & Record<string, unknown> = {}
    try { parsed = text === '' ? {} : JSON.parse(text) } catch { throw new CliError(`${response.status}: ${text.slice(0, 200)}`) }
    if (!response.ok) throw new CliError(describeApiError(response.status, parsed.error, options.fieldName))
    return parsed
  }
}

/** `VALIDATION_FAILED: --name: …` — the fields of the API's answer, named as the flags that set them. */
export function describeApiError (status: number, error: ApiError | undefined, fieldName: (field: string) => string): string {
  const fields = error?.details?.fields
  if (error?.code === 'VALIDATION_FAILED' && fields !== undefined && fields.length > 0) {
    return `${error.code}: ${fields.map((f) => `${fieldName(f.field)}: ${f.message}`).join('; ')}`
  }
  return `${error?.code ?? status}: ${error?.message ?? 'request failed'}`
}
