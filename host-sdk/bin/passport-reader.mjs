#!/usr/bin/env node
// Launcher: the CLI is TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
process.exitCode = await run(process.argv.slice(2));
