import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received { method: string, url: string, headers: IncomingHttpHeaders, body: string }

/**
 * A local HTTP server that records every request and answers with whatever `answer` says
 * (200 by default); `next()` waits for the next request, `count()` says how many came.
 */
export async function startReceiver (answer: (request: Received) => number = () => 200, port = 0) {
  const requests: Received[] = []
  const waiters: Array<() => void> = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(request)
      res.statusCode = receiver.answer(request)
      res.end()
      for (const waiter of waiters.splice(0)) waiter()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const listening = (server.address() as AddressInfo).port
  const receiver = {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    requests,
    answer,
    /** Resolves once `n` requests have come in all. */
    async received (n: number): Promise<Received[]> {
      while (requests.length < n) await new Promise<void>((resolve) => waiters.push(resolve))
      return requests.slice(0, n)
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
  return receiver
}

/** Resolves once `check` returns something other than undefined (polled; no fixed sleeps). */
export async function until<T> (check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
