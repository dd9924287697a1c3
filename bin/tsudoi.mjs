#!/usr/bin/env node
// `npx tsudoi …`: the organizer's CLI. In a checkout it runs from the TypeScript source through
// tsx (a development dependency, so it is never stale); where tsx is not installed (the Docker
// image), from the compiled build/ (`npm run build`).
import { runEntry } from './run-entry.mjs'

await runEntry('server/cli')
