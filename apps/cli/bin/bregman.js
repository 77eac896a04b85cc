#!/usr/bin/env node
// The `bregman` command: runs the CLI program built from src/cli.ts.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
