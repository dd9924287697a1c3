#!/usr/bin/env node
// `npx tsudoi-sim`: the simulator is TypeScript, run through tsx's loader (no build step).
import { register } from 'tsx/esm/api'

register()
await import('../device-sim/cli.ts')
