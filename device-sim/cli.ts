import { ZodError } from 'zod'
import { HELP, flagName, parseCli } from './cli-args.ts'
import { SimulationError } from './errors.ts'
import { resolveOptions } from './options.ts'
import { runSimulation } from './simulation.ts'
import { StatusLine } from './status.ts'
import { formatSummary } from './summary.ts'
import { showEvents, stopOnSignals } from './terminal.ts'

// `npx tsudoi-sim …` / `npm run sim -- …`. Status goes to stderr, the summary to stdout (so
// `--json` can be piped). Exit 0 ok, 1 some devices never connected, 2 nothing could run.

async function main (argv: readonly string[]): Promise<number> {
  let request: ReturnType<typeof parseCli>
  try {
    request = parseCli(argv, process.env)
  } catch (error) {
    process.stderr.write(`tsudoi-sim: ${(error as Error).message}\nRun with --help to see the options.\n`)
    return 2
  }
  if (request.help) {
    process.stdout.write(HELP)
    return 0
  }
  try {
    resolveOptions(request.input)
  } catch (error) {
    if (!(error instanceof ZodError)) throw error
    for (const issue of error.issues) process.stderr.write(`tsudoi-sim: ${flagName(issue.path.map(String).join('.') || 'options')}: ${issue.message}\n`)
    return 2
  }

  const line = new StatusLine(process.stderr)
  const { signal, release } = stopOnSignals(line, 'stopping… (Ctrl-C again to quit at once)')
  const onEvent = showEvents(line, (event) => {
    if (event.report === null) return
    const r = event.report
    line.note(`provisioned ${event.members.length} members: created ${r.created.members} members and ${r.created.devices} devices, ` +
      `reused ${r.reused.members} and ${r.reused.devices}, rotated ${r.rotated} secrets (member access keys are in the state file)`)
  })

  try {
    const summary = await runSimulation(request.input, { signal, onEvent })
    line.clear()
    process.stdout.write(`${request.json ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`)
    return summary.connectFailures.length > 0 ? 1 : 0
  } catch (error) {
    line.clear()
    if (error instanceof SimulationError) {
      process.stderr.write(`tsudoi-sim: ${error.message}\n`)
      return 2
    }
    throw error
  } finally {
    release()
  }
}

process.exitCode = await main(process.argv.slice(2))
