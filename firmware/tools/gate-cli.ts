// npm run gate: checks finished bundles against what Espruino runs. Exit 1 on any violation.
import { readFileSync } from 'node:fs';
import { checkBundle, formatViolations } from './espruino-gate';

let failed = false;
for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8');
  const violations = checkBundle(source);
  if (violations.length) {
    failed = true;
    console.error(`${file}: ${violations.length} violation(s)\n${formatViolations(source, violations)}`);
  } else console.log(`${file}: passes the Espruino gate (${source.length} bytes)`);
}
process.exit(failed ? 1 : 0);
