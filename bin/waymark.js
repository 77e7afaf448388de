#!/usr/bin/env node
// The package's `bin`: npm puts the pinned Node 26 first on PATH, so this runs the TypeScript directly.
/* global process, URL */
import { enableCompileCache } from 'node:module'

// Node strips the types from every TypeScript module it loads, and compiles it, on every start: for
// `waymark allocate` that was 0.3 s of CPU before reading the problem. The compile cache (keyed by each file's
// content) keeps both from the first run on, so the modules are imported only after it is on. It is kept in
// the package's own node_modules/.cache, not the shared temporary folder, where a folder another user made
// first could hand this process compiled code; NODE_COMPILE_CACHE, when set, still chooses.
enableCompileCache(new URL('../node_modules/.cache/waymark-compile-cache', import.meta.url).pathname)
const { main } = await import('../src/cli/main.ts')

process.exitCode = await main(process.argv.slice(2))
