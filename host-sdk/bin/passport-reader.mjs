#!/usr/bin/env node
// The passport-reader command: the built SDK (dist/) by the package's own name. Inside the
// repository it runs on the TypeScript sources instead:
//   node --conditions=@epassport/source --import tsx host-sdk/bin/passport-reader.mjs
import { runCli } from '@epassport/host-sdk';

process.exitCode = await runCli(process.argv.slice(2));
