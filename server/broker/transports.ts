import { readFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import type { Server as HttpServer, IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'
import { maxPacketBytes } from './broker.ts'

export interface MqttListener {
  readonly port: number
  close (): Promise<void>
}

/** MQTT over TCP. */
export function listenTcp (broker: Aedes, host: string, port: number): Promise<MqttListener> {
  return listen(net.createServer((socket) => accept(broker, socket)), host, port)
}

/** MQTTS: MQTT over TLS, with the certificate and key files (PEM) the organizer provides. */
export function listenTls (broker: Aedes, host: string, port: number, certFile: string, keyFile: string): Promise<MqttListener> {
  return listen(tls.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (socket) => accept(broker, socket)), host, port)
}

function accept (broker: Aedes, socket: net.Socket): void {
  // Readings are small and latency matters more than packet count.
  socket.setNoDelay(true)
  broker.handle(socket)
}

function listen (server: net.Server, host: string, port: number): Promise<MqttListener> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done()))
      })
    })
  })
}

/** MQTT over WebSocket at `path` on the HTTP server (browsers and firmware behind HTTP proxies). */
export function attachWebSocket (broker: Aedes, httpServer: HttpServer, path: string): { close (): Promise<void> } {
  // ws buffers a whole message before handing it on: no message may be larger than the largest
  // MQTT packet the broker accepts (server/broker/packet-size-guard.ts), or the guard behind it
  // would come too late. An oversized one closes the socket with 1009 [RFC 6455 §7.4.1].
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: maxPacketBytes(broker) })
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== path) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => broker.handle(createWebSocketStream(ws), request))
  }
  httpServer.on('upgrade', onUpgrade)
  return {
    close: () => new Promise<void>((resolve) => {
      httpServer.off('upgrade', onUpgrade)
      for (const client of wss.clients) client.terminate()
      wss.close(() => resolve())
    })
  }
}
