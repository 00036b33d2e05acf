// The packages as a consumer gets them: `npm pack` of @epassport/protocol and @epassport/host-sdk,
// installed into a fresh project outside the workspace, the README's integration example
// type-checked there with a plain tsconfig (module/moduleResolution nodenext, strict), compiled
// and run against the virtual reader; and the installed `passport-reader` bin, without tsx.
//
// No registry: the two tarballs are installed as packages; the third-party packages that
// host-sdk's packed package.json lists are linked from the workspace's node_modules (`file:`,
// the versions of package-lock.json). Their own dependencies resolve beside them, but nothing
// resolves from the workspace for our dist/: a dependency the package does not declare fails.

import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { canOpenPseudoTerminal } from '@epassport/hardware/sim/pty';
import { fixturePath, loadFixture } from '@epassport/hardware/fixtures/index';
import { stopAll } from '../../test/support/processes';
import { mrzOf, startSimulator } from '../../test/support/virtual-reader';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sdk-pack-'));
afterAll(async () => {
  await stopAll();
  rmSync(work, { recursive: true, force: true });
});

/** The README block that follows `<!-- example: NAME ... -->`. */
function readmeExample(readme: string, name: string): string {
  const m = new RegExp('<!-- example: ' + name + '\\b[^>]*-->\\n```ts\\n([\\s\\S]*?)\\n```').exec(readme);
  if (!m) throw new Error(`no example "${name}" in the README`);
  return m[1] + '\n';
}

/** The environment less npm's per-run variables (the test may run under `npm test`, whose
 * workspace settings must not reach an install in another project); the cache stays. */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || k === 'npm_config_cache') env[k] = v;
  return env;
}

/** A child process run to its end without blocking the event loop (vitest's workers talk to
 * the main process meanwhile; spawnSync for a minute makes that time out). */
function run(command: string, args: string[], options: SpawnOptions): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

describe.skipIf(!canOpenPseudoTerminal())('the published packages', () => {
  const consumer = join(work, 'consumer');
  let packed: Packed[] = [];

  it('pack: dist with declarations and the bin; no sources, tests or test support', async () => {
    // prepack builds each package with tsc (tsconfig.build.json).
    const pack = await run('npm', ['pack', '-w', 'protocol', '-w', 'host-sdk', '--pack-destination', work, '--json'], { cwd: ROOT, env: plainEnv() });
    expect(pack.status, pack.stderr).toBe(0);
    const out = pack.stdout;
    packed = JSON.parse(out.slice(out.indexOf('['))) as Packed[];
    expect(packed.map((p) => p.filename)).toEqual(['epassport-protocol-0.1.0.tgz', 'epassport-host-sdk-0.1.0.tgz']);
    const [protocol, sdk] = packed.map((p) => p.files.map((f) => f.path));
    expect(protocol).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'package.json']));
    expect(sdk).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'bin/passport-reader.mjs', 'package.json']));
    for (const files of [protocol, sdk]) {
      expect(files.filter((f) => /^src\/|^test\/|\.test\.|test-support|tsbuildinfo/.test(f))).toEqual([]);
    }
  }, 240_000);

  it('installs into a fresh project with no registry, and its bin runs without tsx', async () => {
    expect(packed).toHaveLength(2);
    mkdirSync(consumer);
    const [protocolTgz, sdkTgz] = packed.map((p) => join(work, p.filename));
    const declared = (JSON.parse(execFileSync('tar', ['-xOzf', sdkTgz, 'package/package.json'], { encoding: 'utf8' })) as { dependencies: Record<string, string> }).dependencies;
    for (const gone of ['@noble/ciphers', '@noble/hashes', '@peculiar/x509', '@serialport/binding-mock', 'jpeg-js', 'tsx']) expect(Object.keys(declared)).not.toContain(gone);
    const dependencies: Record<string, string> = { '@epassport/protocol': 'file:' + protocolTgz, '@epassport/host-sdk': 'file:' + sdkTgz };
    for (const name of [...Object.keys(declared).filter((n) => !n.startsWith('@epassport/')), 'typescript', '@types/node']) {
      dependencies[name] = 'file:' + join(ROOT, 'node_modules', name);
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2));
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: consumer, env: plainEnv() });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(consumer, 'node_modules/@epassport/host-sdk/dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules/tsx'))).toBe(false);
    const help = await run(join(consumer, 'node_modules/.bin/passport-reader'), ['--help'], { cwd: consumer });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^passport-reader 0\.1\.0/);
  }, 240_000);

  it('type-checks the README example under nodenext and reads the sample passport with it: VERIFIED', async () => {
    expect(existsSync(join(consumer, 'node_modules/@epassport/host-sdk'))).toBe(true);
    const example = readmeExample(readFileSync(join(ROOT, 'host-sdk/README.md'), 'utf8'), 'integration');
    writeFileSync(join(consumer, 'example.ts'), example);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, outDir: 'out', types: ['node'] },
      files: ['example.ts'],
    }, null, 2));
    const tsc = await run(join(consumer, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: consumer });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    const sim = await startSimulator('utopia-anna', 'pico');
    const env = { ...plainEnv(), READER_PORT: sim.path, PASSPORT_MRZ: mrzOf(loadFixture('utopia-anna')), CSCA: fixturePath('utopia-anna', 'csca.pem') };
    const read = await run(process.execPath, ['out/example.js'], { cwd: consumer, env });
    await sim.stop();
    expect(read.status, read.stdout + read.stderr).toBe(0);
    expect(read.stdout).toMatch(/^VERIFIED UA1234567 image\/jpeg$/m);
    expect(read.stderr).toMatch(/^file-end$/m);
  }, 120_000);
});
