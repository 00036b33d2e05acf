// npm run bench: reads standard documents through the whole virtual chain for each link
// configuration and prints the modelled times, per phase, with the link limit and the ratio.
//
//   npx tsx test/bench/bench.ts [--documents utopia-anna,utopia-jp2] [--board pico]
//     [--configs <substring>,...] [--fast-baud N] [--chips short,extended]
//     [--no-pipeline] [--json] [--write-readme]
// --write-readme puts the tables between the bench markers of test/bench/README.md and README.md.
// See test/bench/README.md for the definitions.

import '../support/script-temp-root'; // first: every temporary file of the run goes in one directory, removed at exit
import { standardConfigs } from './link-config';
import { PHASES, bundleFirmware, runReading, type BenchResult } from './run-reading';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJsOps, formatPace, formatPrimitives, formatSummary, formatTable } from './format';
import { formatMemory } from './memory-table';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const documents = arg('documents', 'utopia-anna,utopia-jp2').split(',');
  const filters = arg('configs', '').split(',').filter(Boolean);
  const pipeline = !process.argv.includes('--no-pipeline');
  const configs = standardConfigs(arg('board', 'pico'), 'pico-i2c', 'pico-spi', Number(arg('fast-baud', '0'))).filter((c) => !filters.length || filters.some((f) => c.name.includes(f)));
  const bundlePath = await bundleFirmware();
  const started = performance.now();
  const results: BenchResult[] = [];
  const chips = arg('chips', 'short,extended').split(',');
  for (const doc of documents) {
    for (const chip of chips) {
      for (const link of configs) results.push(runReading(doc, link, { bundlePath, pipeline, passport: { extendedLength: chip === 'extended' } }));
    }
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(formatTable(results));
  console.log(`\nphases: ${PHASES.join(', ')} (ms of link and card; 'PA host' is real CPU time). total = link+card + device CPU (high) ${pipeline ? '- what the pipeline overlaps (modelled)' : '(no pipeline)'} + PA host.`);
  console.log('\n' + formatPrimitives());
  console.log('\n' + formatJsOps());
  console.log('\n' + formatPace());
  const memory = await formatMemory();
  console.log('\n' + memory);
  if (process.argv.includes('--write-readme')) {
    const root = join(import.meta.dirname, '../..');
    replaceBetween(join(root, 'test/bench/README.md'), 'bench:table', formatTable(results));
    replaceBetween(join(root, 'test/bench/README.md'), 'bench:primitives', formatPrimitives() + '\n\n' + formatJsOps());
    replaceBetween(join(root, 'README.md'), 'bench:summary', formatSummary(results));
    replaceBetween(join(root, 'firmware/README.md'), 'bench:memory', memory);
  }
  console.log(`bench ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Replaces the text between `<!-- name -->` and `<!-- /name -->` in `file`. */
function replaceBetween(file: string, name: string, text: string): void {
  const src = readFileSync(file, 'utf8');
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const a = src.indexOf(open);
  const b = src.indexOf(close);
  if (a < 0 || b < a) throw new Error(`${file} has no ${open} ... ${close}`);
  writeFileSync(file, src.slice(0, a + open.length) + '\n' + text + '\n' + src.slice(b));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
