// esbuild settings for Espruino bundles, shared by the build and the gate's tests.

import { build, type BuildOptions } from 'esbuild';
import { parse } from 'acorn';
import { full } from 'acorn-walk';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESPRUINO_SUPPORTED } from './espruino-target';
import { reservedProps } from './mangle-reserve';
import { dropUnused } from './drop-unused';
import { dropWriteOnly } from './write-only';
import { inlineConstants } from './inline-constants';
import { arrowFunctions } from './arrow-functions';
import { thisArrows } from './this-arrows';
import { poolConstants } from './pool-constants';
import { stripErrorProse } from './strip-prose';

const firmwareDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The firmware: a closed program whose only surface is Firmware.start / nfcChip, so every
 * property name not in mangle-reserve.ts may be shortened. Other entries (protocol.js, used by
 * hand-written test firmware) are libraries: only their `_private` names are. */
export const FIRMWARE_ENTRY = join(firmwareDir, 'src/main.ts');

/** The portable bundle's ceiling (the device budgets are in board-budgets.ts). 66 KB since the
 * read session's PACE/CA hooks (+418 B) and native sm_unwrap (+407 B) landed together at 65,928 B;
 * no board stores this bundle. */
export const FIRMWARE_SIZE_LIMIT = 66 * 1024;

/** `require` of a board module, outside esbuild's reach (it would wrap a bare `require` in a
 * Proxy-based shim that Espruino lacks). Literal module names keep the gate's require check. */
const MODULE_BANNER = 'function espruinoModule(n){return n=="Storage"?require("Storage"):require("crypto")}';

export type NfcBus = 'hsu' | 'i2c' | 'spi';

export interface BundleOptions {
  /** A device bundle that requires the native blob (NATIVE_ONLY, firmware/src/native). */
  nativeOnly?: boolean;
  /** A device bundle for one board: only this PN532 transport is kept (NFC_BUS). */
  bus?: NfcBus;
  /** Shorten every property name not reserved (default: for FIRMWARE_ENTRY only). */
  mangleAll?: boolean;
  /** Leave error prose out (strip-prose.ts): the host words errors from their codes. */
  stripProse?: boolean;
  /** Repeated string literals and built-in names stored once, as variables (pool-constants.ts;
   * needs `globalName`). */
  poolConstants?: boolean;
}

/** Bundles `entry` into `outfile` and returns the text. With `globalName`, the entry's exports
 * become a plain object in that global (no esbuild export getters: fewer bytes). The fourth
 * argument is `nativeOnly` or the device options. */
export async function bundle(entry: string, outfile: string, globalName?: string, device: boolean | BundleOptions = false): Promise<string> {
  const o: BundleOptions = typeof device === 'boolean' ? { nativeOnly: device } : device;
  const mangleAll = o.mangleAll ?? resolve(entry) === FIRMWARE_ENTRY;
  const settings: BuildOptions = {
    // A board's bundle also keeps only the device's half of the protocol codec (codec.ts).
    define: {
      NATIVE_ONLY: o.nativeOnly ? 'true' : 'false', NFC_BUS: JSON.stringify(o.bus ?? ''), PROTOCOL_DEVICE_SIDE: o.bus ? 'true' : 'false',
      // main.ts opens chips by BAC only (no Chip Authentication): its bundles leave CA's code out.
      WITH_CHIP_AUTH: resolve(entry) === FIRMWARE_ENTRY ? 'false' : 'true',
    },
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: globalName ? 'esm' : 'iife',
    minify: true,
    platform: 'neutral',
    // Workspace packages as TypeScript sources (their package.json "exports" condition).
    conditions: ['@epassport/source'],
    target: 'es2020',
    supported: ESPRUINO_SUPPORTED,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: join(firmwareDir, 'tsconfig.json'),
  };
  // First pass unmangled, for the string literals: a name that is also a string may be looked up
  // as `table[name]`, so it keeps its spelling (mangle-reserve.ts).
  const reserveProps = mangleAll ? reservedProps(stringLiterals((await build(settings)).outputFiles![0].text)) : undefined;
  const result = await build({
    ...settings,
    // Property names become one or two letters: flash bytes, RAM and parse time on Espruino.
    mangleProps: mangleAll ? /^[A-Za-z_$]/ : /^_[a-zA-Z]/,
    reserveProps,
    // Keeps the generated names off members the gate forbids (`.at`, `.is` (Object.is), `.of`
    // (Uint8Array.of) are not in Espruino).
    mangleCache: { _espruinoHasNoAt: 'at', _espruinoHasNoIs: 'is', _espruinoHasNoOf: 'of' },
  });
  let text = result.outputFiles![0].text;
  if (globalName) text = exportsAsGlobal(text, globalName);
  if (o.stripProse) text = stripErrorProse(text);
  // Tables of numbers read only as `T.KEY` (the protocol's MSG, CAP, FILE): the numbers
  // (inline-constants.ts); drop-unused then removes the tables.
  if (o.stripProse && globalName) text = inlineConstants(text);
  // What only the stripped messages or the left-out TypeScript crypto used, and class members
  // nothing calls (drop-unused.ts).
  if (o.stripProse && globalName) text = dropUnused(text, reserveProps);
  // Properties only written (counters of the host's diagnostics), then what they alone used.
  if (o.stripProse && globalName && reserveProps) text = dropUnused(dropWriteOnly(text, reserveProps), reserveProps);
  // Function expressions without `this` or `arguments` as arrows (arrow-functions.ts).
  if (o.stripProse && globalName) text = arrowFunctions(text);
  // `var e=this` where the arrows that use `e` may read `this` (this-arrows.ts).
  if (o.stripProse && globalName) text = thisArrows(text);
  if (o.poolConstants) text = poolConstants(text);
  text = MODULE_BANNER + '\n' + text;
  writeFileSync(outfile, text);
  return text;
}

function stringLiterals(source: string): Set<string> {
  const out = new Set<string>();
  full(parse(source, { ecmaVersion: 2022, sourceType: 'module' }), (n) => {
    if (n.type === 'Literal' && typeof (n as { value?: unknown }).value === 'string') out.add((n as unknown as { value: string }).value);
  });
  return out;
}

/** ESM bundle text -> `var <name>=(function(){...;return{start:x,...}})();`. */
function exportsAsGlobal(esm: string, name: string): string {
  const ast = parse(esm, { ecmaVersion: 2022, sourceType: 'module' });
  const last = ast.body[ast.body.length - 1];
  if (!last || last.type !== 'ExportNamedDeclaration' || last.declaration) throw new Error('bundle: expected one final export list');
  const members = last.specifiers.map((s) => {
    const exported = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
    const local = s.local.type === 'Identifier' ? s.local.name : String(s.local.value);
    return exported + ':' + local;
  });
  const body = esm.slice(0, last.start) + esm.slice(last.end);
  return `var ${name}=(function(){${body.trim()}\nreturn{${members.join(',')}}})();\n`;
}
