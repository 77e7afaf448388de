#!/usr/bin/env node
// The package's `bin`: npm puts the pinned Node 26 first on PATH, so this runs the TypeScript directly.
/* global process */
import { enableCompileCache } from 'node:module'

// Node strips the types from every TypeScript module it loads, and compiles it, on every start: for
// `waymark allocate` that was 0.3 s of CPU before reading the problem. The compile cache (in the system's
// temporary folder, keyed by each file's content) keeps both from the first run on. So the modules are
// imported only after it is on.
enableCompileCache()
const { main } = await import('../src/cli/main.ts')

process.exitCode = await main(process.argv.slice(2))
