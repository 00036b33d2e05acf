// esbuild settings for Espruino bundles, shared by the build and the gate's tests.

import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESPRUINO_SUPPORTED } from './espruino-target';

const firmwareDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The bundle is uploaded as source text and saved to flash; this keeps room for the board's
 * own code and the heap (see firmware/README.md, "Memory budget"). */
export const FIRMWARE_SIZE_LIMIT = 64 * 1024;

/** `require` of a board module, outside esbuild's reach (it would wrap a bare `require` in a
 * Proxy-based shim that Espruino lacks). Literal module names keep the gate's require check. */
const MODULE_BANNER = 'function espruinoModule(n){return n=="Storage"?require("Storage"):require("crypto")}';

/** `nativeOnly`: a device bundle that requires the native blob (NATIVE_ONLY, firmware/src/native). */
export async function bundle(entry: string, outfile: string, globalName?: string, nativeOnly = false): Promise<string> {
  await build({
    banner: { js: MODULE_BANNER },
    define: { NATIVE_ONLY: nativeOnly ? 'true' : 'false' },
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    globalName,
    minify: true,
    platform: 'neutral',
    target: 'es2020',
    supported: ESPRUINO_SUPPORTED,
    charset: 'ascii',
    legalComments: 'none',
    // Private members named `_x` become one- or two-letter names: shorter text is both flash and
    // parse time on Espruino. Only names that never cross the bundle's edge may start with `_`.
    mangleProps: /^_[a-zA-Z]/,
    // Keeps the generated names off members the gate forbids (`.at` is not in Espruino).
    mangleCache: { _espruinoHasNoAt: 'at' },
    logLevel: 'warning',
    tsconfig: join(firmwareDir, 'tsconfig.json'),
  });
  return readFileSync(outfile, 'utf8');
}

