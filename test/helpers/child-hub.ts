import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ChildHub { process: ChildProcess, mqttPort: number, httpPort: number, output: () => string }

/** Runs `server/main.ts` as its own process (so a test can SIGKILL it) and waits for its banner. */
export async function startChildHub (env: Record<string, string>): Promise<ChildHub> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TSUDOI_HOST: '127.0.0.1', TSUDOI_MQTT_PORT: '0', TSUDOI_HTTP_PORT: '0', TSUDOI_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const ports = await new Promise<{ mqttPort: number, httpPort: number }>((resolve, reject) => {
    // 60 s: with the whole suite running on a 2-core machine a start took over 20 s (tsx compiles the hub on start).
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 60_000)
    const check = (): void => {
      const mqtt = /MQTT \(TCP\)\s+mqtt:\/\/[^:]+:(\d+)/.exec(output)
      const http = /Dashboard & API\s+http:\/\/[^:]+:(\d+)/.exec(output)
      if (mqtt && http) {
        clearTimeout(timer)
        resolve({ mqttPort: Number(mqtt[1]), httpPort: Number(http[1]) })
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`hub exited with ${code}:\n${output}`)) })
  })
  return { process: child, ...ports, output: () => output }
}

export function exited (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** JSON over the child hub's HTTP API with a bearer token (POST when there is a body). */
export async function childApi (hub: ChildHub, path: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${hub.httpPort}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return response.json()
}
