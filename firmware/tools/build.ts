// Bundles the firmware (and, alone, the protocol package) for Espruino, then runs the gate.
// Usage: tsx tools/build.ts   ->  dist/firmware.js, dist/firmware-pace.js, dist/protocol.js, dist/self-test.js,
// dist/firmware-<board>.js, dist/firmware-pico-ts.js

import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, FIRMWARE_ENTRY, FIRMWARE_SIZE_LIMIT, type BundleOptions } from './bundler';
import { deviceBundles, deviceOptions } from './device-bundles';
import { checkBundle, formatViolations } from './espruino-gate';

const here = dirname(fileURLToPath(import.meta.url));
const firmwareDir = join(here, '..');
const dist = join(firmwareDir, 'dist');

async function main(): Promise<void> {
  mkdirSync(dist, { recursive: true });
  const targets: Array<{ entry: string; out: string; globalName: string; limit?: number; device?: BundleOptions }> = [
    { entry: join(firmwareDir, 'src/main.ts'), out: join(dist, 'firmware.js'), limit: FIRMWARE_SIZE_LIMIT, globalName: 'Firmware' },
    // The portable bundle with PACE and Chip Authentication (src/main-pace.ts, issue #18).
    { entry: join(firmwareDir, 'src/main-pace.ts'), out: join(dist, 'firmware-pace.js'), globalName: 'Firmware' },
    { entry: join(firmwareDir, '../protocol/src/index.ts'), out: join(dist, 'protocol.js'), globalName: 'Protocol' },
    // Checks run on the real interpreter and under Node (test/real-interpreter/self-test.test.ts).
    { entry: join(firmwareDir, 'src/self-test.ts'), out: join(dist, 'self-test.js'), globalName: 'SelfTest' },
    // What a board stores: one bundle per board file (device-bundles.ts; budget: board-budgets.ts).
    ...deviceBundles().map((b) => ({ entry: b.entry, out: b.path, globalName: 'Firmware', device: deviceOptions(b.bus) })),
    // No board stores this one: the Pico HSU device bundle with the TypeScript crypto instead of the
    // blob, for the Linux interpreter, where no native call can run (test/real-interpreter).
    { entry: FIRMWARE_ENTRY, out: join(dist, 'firmware-pico-ts.js'), globalName: 'Firmware', device: { ...deviceOptions('hsu'), nativeOnly: false } },
  ];
  let failed = false;
  for (const t of targets) {
    const source = await bundle(t.entry, t.out, t.globalName, t.device);
    const violations = checkBundle(source);
    const size = statSync(t.out).size;
    console.log(`${t.out.slice(firmwareDir.length + 1)}: ${size} bytes, ${violations.length} gate violations`);
    if (violations.length) {
      console.error(formatViolations(source, violations));
      failed = true;
    }
    if (t.limit && size > t.limit) {
      console.error(`  bundle exceeds its ${t.limit}-byte budget`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
