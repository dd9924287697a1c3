import type * as z from 'zod/mini'

// Every API call goes through here: same-origin cookies (the HttpOnly session), the hub's
// error shape mapped to its stable code, and the answer checked against its schema so a
// changed contract shows as an error instead of as a blank or wrong chart.
export class ApiError extends Error {
  constructor (readonly code: string, readonly status: number, message: string) {
    super(message)
    this.name = 'ApiError'
  }
}

type Schema<T> = z.ZodMiniType<T>

async function request<T> (method: string, path: string, schema: Schema<T> | null, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError('NETWORK', 0, String(error))
  }
  const text = await response.text()
  const json: unknown = text === '' ? undefined : safeJson(text)
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown, message?: unknown } } | undefined)?.error
    throw new ApiError(typeof error?.code === 'string' ? error.code : 'UNEXPECTED', response.status,
      typeof error?.message === 'string' ? error.message : response.statusText)
  }
  if (schema === null) return undefined as T
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    console.warn(`unexpected answer from ${method} ${path}`, parsed.error.issues)
    throw new ApiError('UNEXPECTED', response.status, `unexpected answer from ${path}`)
  }
  return parsed.data
}

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const get = <T>(path: string, schema: Schema<T>, signal?: AbortSignal): Promise<T> => request('GET', path, schema, undefined, signal)
export const post = <T>(path: string, body: unknown, schema: Schema<T> | null): Promise<T> => request('POST', path, schema, body)
export const patch = <T>(path: string, body: unknown, schema: Schema<T>): Promise<T> => request('PATCH', path, schema, body)
export const del = (path: string): Promise<void> => request('DELETE', path, null)

/** A query string from defined values only. */
export function query (params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
