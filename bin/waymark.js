#!/usr/bin/env node
// The package's `bin`: npm puts the pinned Node 26 first on PATH, so this runs the TypeScript directly.
/* global process */
import { main } from '../src/cli/main.ts'

process.exitCode = await main(process.argv.slice(2))
