import { parentPort, workerData } from 'node:worker_threads'
import { SqliteReadingStore } from '../sqlite.ts'
import type { WriterOptions, WriterReply, WriterRequest } from './protocol.ts'

// The writer thread: owns the one connection that writes readings, so a commit (and its
// fsync) runs beside the broker instead of stopping it.
const { file, synchronous } = workerData as WriterOptions
const store = new SqliteReadingStore(file, synchronous)
await store.open()
const port = parentPort!
const reply = (message: WriterReply): void => port.postMessage(message)

port.on('message', (request: WriterRequest) => {
  void handle(request).then(
    () => {
      reply({ id: request.id, ok: true })
      if (request.op === 'close') port.close()
    },
    (error: unknown) => reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) })
  )
})
reply({ ready: true })

async function handle (request: WriterRequest): Promise<void> {
  if (request.op === 'append') return store.append(request.readings)
  if (request.op === 'deleteMember') return store.deleteMember(request.member)
  await store.close()
}
