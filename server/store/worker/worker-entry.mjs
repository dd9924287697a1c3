// Worker threads do not inherit a TypeScript loader (under vitest there is none to inherit),
// so every store worker starts here: register tsx, then load the TypeScript module named in
// workerData.module (a file URL).
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.module)
