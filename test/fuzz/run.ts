// The long hostile-chip run: `npx tsx test/fuzz/run.ts [reads] [seed] [board] [fixture]`
// (defaults 3000 reads, a random seed, pico, utopia-anna). Prints progress, the outcome counts,
// reads per second, and every failure with the seed that reproduces it. Exit code 1 on failure.
import { HostileChipFuzzer } from './hostile-chip';

const reads = Number(process.argv[2] || 3000);
const seed = Number(process.argv[3] || Math.floor(Math.random() * 2 ** 31));
const board = process.argv[4] || 'pico';
const fixture = process.argv[5] || 'utopia-anna';

console.log(`hostile chip: ${reads} reads, seed ${seed}, board ${board}, fixture ${fixture}`);
const fuzzer = await HostileChipFuzzer.create(board, fixture);
const t0 = Date.now();
const stats = fuzzer.run(seed, reads, Infinity, 50, (i) => {
  if ((i + 1) % 250 === 0) console.log(`  ${i + 1} reads, ${((Date.now() - t0) / 1000).toFixed(1)} s, ${fuzzer.stats.failures.length} failures`);
});
const seconds = (Date.now() - t0) / 1000;
console.log(`reads: ${stats.reads} (+${stats.idleChecks} clean reads checking the device is idle) in ${seconds.toFixed(1)} s, ${(stats.reads / seconds).toFixed(1)} reads/s`);
console.log(`damaged responses: ${stats.damagedResponses}; verified by the host: ${stats.verified}`);
console.log('outcomes:', Object.entries(stats.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '));
if (stats.failures.length) {
  console.log(`FAILURES (${stats.failures.length}):`);
  for (const f of stats.failures.slice(0, 50)) console.log('  ' + f);
  process.exit(1);
}
console.log('no failures');
