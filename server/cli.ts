import { parseArgs } from 'node:util'
import { CliError, adminApiClient } from './cli/admin-api-client.ts'
import { commands, fieldName } from './cli/commands.ts'
import { describeResult } from './cli/describe.ts'
import { USAGE } from './cli/usage.ts'

// `tsudoi <noun> <verb> [flags]`: does over the admin API what an organizer does in the
// dashboard, so it works against a local or a remote hub alike.
let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      name: { type: 'string' }, sector: { type: 'string' }, id: { type: 'string' }, member: { type: 'string' },
      format: { type: 'string' }, topic: { type: 'string' }, 'floor-area': { type: 'string' }, seats: { type: 'string' },
      rooms: { type: 'string' }, 'no-sharing': { type: 'boolean' }, purge: { type: 'boolean' },
      expires: { type: 'string' }, 'max-joins': { type: 'string' }, 'keep-members': { type: 'boolean' }, 'no-keep-data': { type: 'boolean' }
    }
  })
} catch (error) {
  console.error(`tsudoi: ${(error as Error).message}\n\n${USAGE}`)
  process.exit(64) // EX_USAGE
}
const { values, positionals } = parsed

const command = commands[positionals.slice(0, 2).join(' ')]
if (values.help === true || command === undefined) {
  console.log(USAGE)
  process.exit(values.help === true ? 0 : 64)
}

const url = values.url ?? `http://localhost:${process.env.TSUDOI_HTTP_PORT ?? '8080'}`
try {
  const call = adminApiClient({ url, token: values.token, env: process.env, fieldName })
  const result = await command({ call, positionals, values, now: Date.now })
  console.log(values.json === true ? JSON.stringify(result, null, 2) : describeResult(result))
} catch (error) {
  console.error(`tsudoi: ${(error as Error).message}`)
  process.exit(error instanceof CliError ? 1 : 70)
}
