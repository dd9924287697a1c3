// Worker threads do not inherit a TypeScript loader (under vitest there is none to inherit),
// so every store worker starts here: register tsx when the module named in workerData.module
// (a file URL) is TypeScript, then load it. Compiled (`npm run build`), it is JavaScript and
// tsx — a development dependency — is not needed, nor installed in the Docker image.
import { workerData } from 'node:worker_threads'

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.module)
