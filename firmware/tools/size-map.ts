// Where a board's stored bytes go (issue #14): bytes per source module of its device bundle after
// esbuild (minified, names shortened; before strip-prose and pooling, so a module's error texts
// still count), and the native blob's symbols by size (blob/native.json, from the linker's map).
// Usage: tsx tools/size-map.ts [board]   (default pico; prints the top 25 of each)

import { build } from 'esbuild';
import { parse } from 'acorn';
import { full } from 'acorn-walk';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceBundles } from './device-bundles';
import { ESPRUINO_SUPPORTED } from './espruino-target';
import { reservedProps } from './mangle-reserve';

const firmwareDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bytes of the bundle's text that each source file (relative to the repository) produced. */
export async function moduleBytes(board: string): Promise<Map<string, number>> {
  const b = deviceBundles().find((d) => d.board === board);
  if (!b) throw new Error(`size-map: no board file ${board}`);
  return entryModuleBytes((b as { entry?: string }).entry ?? join(firmwareDir, 'src/main.ts'), b.bus);
}

/** As `moduleBytes`, for a device build of `entry` with the PN532 bus `bus` ('' keeps all three). */
export async function entryModuleBytes(entry: string, bus: string): Promise<Map<string, number>> {
  const settings = {
    define: { NATIVE_ONLY: 'true', NFC_BUS: JSON.stringify(bus), PROTOCOL_DEVICE_SIDE: 'true', WITH_CHIP_AUTH: resolve(entry) === resolve(firmwareDir, 'src/main.ts') ? 'false' : 'true' },
    entryPoints: [entry],
    bundle: true, write: false, format: 'esm' as const, minify: true, platform: 'neutral' as const,
    conditions: ['@epassport/source'], target: 'es2020', supported: ESPRUINO_SUPPORTED, charset: 'ascii' as const,
    legalComments: 'none' as const, logLevel: 'error' as const, tsconfig: join(firmwareDir, 'tsconfig.json'), outfile: 'size-map.js',
  };
  // As tools/bundler.ts: string literals of an unmangled pass keep their property names.
  const literals = new Set<string>();
  full(parse((await build(settings)).outputFiles![0].text, { ecmaVersion: 2022, sourceType: 'module' }), (n) => {
    const v = (n as { value?: unknown }).value;
    if (n.type === 'Literal' && typeof v === 'string') literals.add(v);
  });
  // esbuild's metafile: the bytes each input file left in the output.
  const r = await build({ ...settings, metafile: true, mangleProps: /^[A-Za-z_$]/, reserveProps: reservedProps(literals) });
  const output = Object.values(r.metafile!.outputs).find((o) => o.entryPoint !== undefined)!;
  const out = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput) out.set(resolve(path).replace(/^.*?\/(firmware|protocol)\//, '$1/'), bytesInOutput);
  }
  return out;
}

/** The native blob's symbols (functions and tables), largest first. */
export function blobSymbols(): Array<[string, number]> {
  const json = JSON.parse(readFileSync(join(firmwareDir, 'native/blob/native.json'), 'utf8')) as { functions: Record<string, { size: number }> };
  return Object.entries(json.functions).map(([name, f]): [string, number] => [name, f.size]).sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const board = process.argv[2] ?? 'pico';
  const modules = [...(await moduleBytes(board))].sort((a, b) => b[1] - a[1]);
  const total = modules.reduce((s, m) => s + m[1], 0);
  console.log(`${board}: ${total} bytes of bundle text after esbuild, by module`);
  for (const [name, n] of modules.slice(0, 25)) console.log(String(n).padStart(7), name);
  const symbols = blobSymbols();
  console.log(`native.bin symbols (${symbols.reduce((s, x) => s + x[1], 0)} bytes in symbols)`);
  for (const [name, n] of symbols.slice(0, 25)) console.log(String(n).padStart(7), name);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
