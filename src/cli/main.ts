import { DataDirectoryInUse } from '../db/data-directory-lock.ts'

/**
 * The `waymark` command. Each subcommand lives in its own module and is loaded only when asked for,
 * so `waymark allocate` never opens a database and `waymark serve` never loads the solver's bench code.
 * Exit codes: 0 success, 1 the work was done and found a problem (e.g. an invalid timetable), 2 bad input, or the
 * embedded database's folder held by another process.
 */
type Command = { summary: string; run: (args: string[]) => Promise<number> }

const commands: Record<string, Command> = {
  serve: {
    summary: 'start the web server (migrates and seeds the demo estate on first start)',
    run: async (args) => (await import('./serve.ts')).serve(args),
  },
  migrate: {
    summary: 'bring the database schema up to date',
    run: async (args) => (await import('./migrate.ts')).migrate(args),
  },
  demo: {
    summary: 'build the demo estate (--reset to rebuild, --seed N, --people N)',
    run: async (args) => (await import('./demo.ts')).demo(args),
  },
  import: {
    summary: 'import a roll CSV into an establishment (waymark import roll.csv --establishment LEI)',
    run: async (args) => (await import('./import.ts')).importRoll(args),
  },
  export: {
    summary: 'export an establishment’s roll as CSV (waymark export --establishment LEI [--out roll.csv])',
    run: async (args) => (await import('./export.ts')).exportRoll(args),
  },
  'api-client': {
    summary: 'register a system to call the API (add --name N --roles R,… --establishments NHI), list, revoke',
    run: async (args) => (await import('./api-client.ts')).apiClient(args),
  },
  'sync-roll': {
    summary: 'apply a prison’s roll from NOMIS (waymark sync-roll --establishment NHI --from URL|FILE)',
    run: async (args) => (await import('./sync-roll.ts')).syncRoll(args),
  },
  allocate: {
    summary: 'build timetables: --in problem.json --out timetable.json, or --check problem.json timetable.json',
    run: async (args) => (await import('./allocate.ts')).allocate(args),
  },
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    if (name && name !== 'help' && name !== '--help') console.error(`Unknown command: ${name}\n`)
    console.error('Usage: waymark <command> [options]\n')
    for (const [commandName, { summary }] of Object.entries(commands))
      console.error(`  ${commandName.padEnd(10)} ${summary}`)
    return name && name !== 'help' && name !== '--help' ? 2 : 0
  }
  try {
    return await command.run(args)
  } catch (error) {
    // Another process holds the embedded database's folder: bad timing, said plainly, not a stack trace.
    if (error instanceof DataDirectoryInUse) {
      console.error(error.message)
      return 2
    }
    throw error
  }
}
