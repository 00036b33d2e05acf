// `npm start`: the main job with no hardware attached. Starts the virtual reader (the real
// firmware bundle in the Espruino runtime shim, the PN532 simulator and the sample passport)
// on a real pseudo-terminal, then reads it with the real CLI over that serial device, verifies
// it against the sample CSCA and saves the data groups and the face image.
//
//   npm start [-- --document utopia-jp2] [-- --board pico-i2c] [-- --out DIR]  (default out/<document>)

import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadFixture } from '@epassport/hardware/fixtures/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// Node running the workspace's TypeScript: @epassport packages from their sources, .ts via tsx.
const SOURCE_NODE_ARGS = ['--conditions=@epassport/source', '--import', 'tsx'];

const { values } = parseArgs({
  options: {
    document: { type: 'string', default: 'utopia-anna' },
    board: { type: 'string', default: 'pico' },
    out: { type: 'string' },
  },
});
const fixture = loadFixture(values.document!);
const outDir = values.out ? resolve(values.out) : join(root, 'out', fixture.name);

// Our children (the virtual reader, the CLI) end with us: on a signal they are stopped first; if
// we are killed outright, simulate notices (parent-watch) and the CLI sees its port hang up.
const children = new Set<ChildProcess>();
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    const exits = [...children].map((c) => new Promise((r) => c.once('exit', r)));
    for (const c of children) c.kill('SIGTERM');
    void Promise.all(exits).then(() => process.exit(128 + constants.signals[signal]));
  });
}

function startVirtualReader(): Promise<{ child: ChildProcess; path: string }> {
  const child = track(spawn(process.execPath, [...SOURCE_NODE_ARGS, join(root, 'hardware/bin/simulate.ts'), '--document', fixture.name, '--board', values.board!], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const m = /^serial: (\S+)/.exec(line);
      if (m) resolve({ child, path: m[1] });
      else reject(new Error('virtual reader said: ' + line));
    });
    child.once('exit', (code) => reject(new Error(`virtual reader exited (${code}) before opening its serial port`)));
  });
}

async function main(): Promise<number> {
  console.log(`Virtual reader: firmware bundle on a simulated Espruino Pico (${values.board}), PN532 simulator, sample passport "${fixture.name}".`);
  const reader = await startVirtualReader();
  console.log(`Virtual reader on ${reader.path}\n`);
  // The sample's MRZ stands in for what the officer types or scans from the data page.
  const { documentNumber, dateOfBirth, dateOfExpiry } = fixture.bac;
  const cli = track(spawn(process.execPath, [
    ...SOURCE_NODE_ARGS, join(root, 'host-sdk/bin/passport-reader.mjs'), 'read',
    '--port', reader.path,
    '--trust', join(root, 'hardware/fixtures', fixture.name, 'csca.pem'),
    '--out', outDir, '--force',
  ], {
    cwd: root,
    stdio: 'inherit',
    // Through the environment, never the command line (ps, shell history).
    env: { ...process.env, PASSPORT_MRZ: `${documentNumber} ${dateOfBirth} ${dateOfExpiry}` },
  }));
  const code: number = await new Promise((r) => cli.once('exit', (c, signal) => r(c ?? (signal ? 128 : 1))));
  reader.child.kill('SIGTERM');
  await new Promise((r) => reader.child.once('exit', r));
  if (code === 0) console.log(`\nData groups and face image saved in ${relative(process.cwd(), outDir) || '.'}/`);
  return code;
}

main().then((code) => process.exit(code), (e: Error) => {
  console.error('npm start failed: ' + e.message);
  process.exit(1);
});
