// Worker threads do not inherit a TypeScript loader (under vitest there is none to inherit),
// so the writer's entry registers tsx itself, then loads the TypeScript module.
import { register } from 'tsx/esm/api'

register()
await import('./writer.ts')
