// The hand-written test firmware (hello-firmware.js) with the protocol bundle it needs in front,
// for tests of the virtual device and the simulate CLI. Built fresh, never from a stale dist.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../firmware/tools/bundler';

const here = dirname(fileURLToPath(import.meta.url));

export async function testFirmwareSource(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'vdev-')), 'protocol.js');
  const protocol = await bundle(join(here, '../../protocol/src/index.ts'), out, 'Protocol');
  return protocol + '\n' + readFileSync(join(here, 'hello-firmware.js'), 'utf8');
}

/** Writes the test firmware to a temporary file and returns its path. */
export async function testFirmwareFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'vdev-')), 'hello-firmware.js');
  writeFileSync(path, await testFirmwareSource());
  return path;
}
