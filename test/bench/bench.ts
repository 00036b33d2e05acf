// npm run bench: reads standard documents through the whole virtual chain for each link
// configuration and prints the modelled times, per phase, with the link limit and the ratio.
//
//   npx tsx test/bench/bench.ts [--documents utopia-anna,utopia-jp2] [--board pico]
//     [--configs <substring>,...] [--fast-baud N] [--chips short,extended]
//     [--micros-per-op 10] [--json]
// See test/bench/README.md for the definitions.

import { standardConfigs } from './link-config';
import { DEFAULT_MICROS_PER_OP } from './device-cpu';
import { PHASES, bundleFirmware, runReading, type BenchResult } from './run-reading';
import { formatTable } from './format';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const documents = arg('documents', 'utopia-anna,utopia-jp2').split(',');
  const filters = arg('configs', '').split(',').filter(Boolean);
  const microsPerOp = Number(arg('micros-per-op', String(DEFAULT_MICROS_PER_OP)));
  const configs = standardConfigs(arg('board', 'pico'), 'pico-i2c', 'pico-spi', Number(arg('fast-baud', '0'))).filter((c) => !filters.length || filters.some((f) => c.name.includes(f)));
  const bundlePath = await bundleFirmware();
  const started = performance.now();
  const results: BenchResult[] = [];
  const chips = arg('chips', 'short,extended').split(',');
  for (const doc of documents) {
    for (const chip of chips) {
      for (const link of configs) results.push(runReading(doc, link, { bundlePath, microsPerOp, passport: { extendedLength: chip === 'extended' } }));
    }
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(formatTable(results));
  console.log(`\nphases: ${PHASES.join(', ')} (ms; 'PA host' is real CPU time). Device CPU: estimate at ${microsPerOp} µs per interpreted operator, not in the modelled time.`);
  console.log(`bench ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
