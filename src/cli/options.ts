import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Parses a subcommand's flags; an unknown flag is bad input (exit code 2), with the reason printed. */
export function parseOptions<const Options extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: Options,
) {
  try {
    return { ok: true as const, ...parseArgs({ args, options, allowPositionals: true, strict: true }) }
  } catch (error) {
    return { ok: false as const, message: (error as Error).message }
  }
}
