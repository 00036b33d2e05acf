// `npm run faults`: the whole fault matrix against the bundled firmware, one table; exit 1 when a
// must-be-zero column is not. Options:
//   --runs N          runs per scenario (default 30)
//   --seed N          base seed (default: random, printed)
//   --only TEXT       scenarios whose name contains TEXT (repeatable, comma list)
//   --repro NAME:SEED one run of one scenario, with its notes (what a failure line prints)
//   --soak N          instead: N consecutive reads on one device, memory figures
//   --skip-host-input leave out the host-input checks (MRZ strings, CLI arguments, master lists)

import '../support/script-temp-root'; // first: every temporary file of the run goes in one directory, removed at exit
import { parseArgs } from 'node:util';
import { describeFailure, formatTable, MUST_BE_ZERO, runMatrix, type MatrixRow } from './matrix';
import { runScenario } from './run-scenario';
import { SCENARIOS } from './scenarios';
import { formatSoak, soak } from './soak';
import { formatHostInput, runHostInputChecks } from './host-input';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    seed: { type: 'string' },
    only: { type: 'string', multiple: true },
    repro: { type: 'string' },
    soak: { type: 'string' },
    'skip-host-input': { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  if (values.repro) {
    const [name, seed] = values.repro.split(':');
    const s = SCENARIOS.find((x) => x.name === name);
    if (!s) throw new Error('no scenario ' + name);
    const r = await runScenario(s, Number(seed));
    console.log(describeFailure(r));
    console.log(r.notes.join('\n'));
    return 0;
  }
  if (values.soak) {
    const figures = await soak(Number(values.soak), (done) => {
      if (done % 250 === 0) process.stderr.write(`  ${done} reads\n`);
    });
    console.log(formatSoak(figures));
    return figures.problems.length ? 1 : 0;
  }
  const runs = Number(values.runs);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 0x7fffffff);
  const only = (values.only ?? []).flatMap((o) => o.split(','));
  const list = only.length ? SCENARIOS.filter((s) => only.some((o) => s.name.includes(o))) : SCENARIOS;
  console.log(`fault matrix: ${list.length} scenarios x ${runs} runs, base seed ${seed} (bundled firmware, virtual time)`);
  const started = performance.now();
  const rows: MatrixRow[] = await runMatrix(list, runs, seed, (row) => {
    process.stderr.write(`  ${row.scenario}: ${row.runs} runs, ${row.failures.length} failing\n`);
  });
  console.log('\n' + formatTable(rows));
  const failing = rows.flatMap((r) => r.failures);
  if (failing.length) {
    console.log(`failing runs (${failing.length}; repeat one with --repro NAME:SEED):`);
    for (const f of failing.slice(0, 40)) console.log('  ' + describeFailure(f));
  }
  let hostInputFailures = 0;
  if (!values['skip-host-input'] && !only.length) {
    const checks = await runHostInputChecks(runs);
    console.log('\n' + formatHostInput(checks));
    hostInputFailures = checks.filter((c) => c.failures.length).length;
  }
  const bad = MUST_BE_ZERO.filter((k) => rows.some((r) => r[k] > 0));
  console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s real time. ` +
    (bad.length || hostInputFailures ? `NOT ZERO: ${[...bad, ...(hostInputFailures ? ['host-input'] : [])].join(', ')}` : 'every must-be-zero column is zero'));
  return bad.length || hostInputFailures ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
