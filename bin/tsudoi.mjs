#!/usr/bin/env node
// `npx tsudoi …`: the organizer's CLI, run from TypeScript source through tsx.
import { register } from 'tsx/esm/api'
register()
await import('../server/cli.ts')
