#!/usr/bin/env node
// `npx tsudoi-sim`: the simulator, from source through tsx in a checkout, else from build/ (see run-entry.mjs).
import { runEntry } from './run-entry.mjs'

await runEntry('device-sim/cli')
