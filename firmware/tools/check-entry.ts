// Bundles any firmware-side entry file for Espruino and runs the gate on the result:
//   npx tsx firmware/tools/check-entry.ts firmware/src/icao/index.ts
// Useful while a module is not yet reachable from main.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundle } from './bundler';
import { checkBundle, formatViolations } from './espruino-gate';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: tsx firmware/tools/check-entry.ts <entry.ts>');
  process.exit(2);
}
const out = join(mkdtempSync(join(tmpdir(), 'espruino-')), 'bundle.js');
bundle(resolve(entry), out, 'Entry').then((source) => {
  const v = checkBundle(source);
  console.log(`${entry}: ${source.length} bytes minified, ${v.length} gate violations`);
  if (v.length) {
    console.error(formatViolations(source, v));
    process.exit(1);
  }
}, (e: Error) => {
  console.error(e.message);
  process.exit(1);
});
