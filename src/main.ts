import { serve } from './cli/serve.ts'

process.exitCode = await serve(process.argv.slice(2))
