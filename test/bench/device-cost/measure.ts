// npm run bench:device: counts the firmware's interpreted JavaScript per operation on the real
// Espruino interpreter (../shared/espruino/espruino, a Linux build with the Pico's layout) under
// `valgrind --tool=callgrind`, and writes test/bench/device-cost.json, which the bench reads.
//
// Native calls cannot run on Linux (E.nativeCall would run x86 code): stubs.js replaces every
// native entry by a no-op JS function of the same shape, so the count is the JavaScript AROUND
// the native calls (their cost on the board is native-counts.json's). Per op: instructions with
// n = N minus instructions with n = 0 (same setup and warm-up), divided by N x units.
// Scaled to an 84 MHz Cortex-M4 by ../shared/espruino/README.md: x86 instructions x 1.3 (low,
// its Leibniz-loop calibration) .. 2.1 (high) / 84e6 s.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../../firmware/tools/bundler';
import { ESPRUINO_DIR, LINE_PREFIX, openSession } from '../../../firmware/test/real-interpreter/espruino-runner';

export const DEVICE_COST_PATH = join(import.meta.dirname, '../device-cost.json');
/** ../shared/espruino/README.md: Pico seconds = x86 instructions x 1.3..2.1 / 84e6. */
export const SCALE = { low: 1.3, high: 2.1, clockHz: 84e6 };

/** Op, repetitions N, and what one unit is. */
const OPS: [string, number, string][] = [
  ['sm-wrap', 20, 'READ BINARY wrapped (SM, DO97, MAC seam)'],
  ['sm-unwrap-239', 20, 'protected answer of 239 plain bytes unwrapped (MAC and 3DES seams)'],
  ['sm-unwrap-2048', 10, 'protected answer of 2,048 plain bytes unwrapped'],
  ['pn532-exchange', 20, 'InDataExchange over HSU: command frame out, ACK and 260-byte answer in'],
  ['read-239', 2, 'READ BINARY block of 239 B: file reader + SM + PN532/HSU + SHA-256 seam (per block)'],
  ['read-2048', 4, 'READ BINARY block of 2,048 B (extended length, 8 MI parts): same path (per block)'],
  ['host-frame', 20, 'file-chunk frame to the host (507 B payload): codec, CRC-16 and COBS seams'],
];

/** Instructions in libc (the Linux build's flash is a file: fopen/fseek/fread/fclose and their
 * buffers' malloc on every flash read; a Pico reads memory-mapped flash), from callgrind's output. */
function libcInstructions(outFile: string): number {
  const r = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', outFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let n = 0;
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^\s*([\d,]+) .*\[[^\]]*\/libc\.so[^\]]*\]\s*$/.exec(line);
    if (m) n += Number(m[1].replace(/,/g, ''));
  }
  return n;
}

function callgrind(dir: string, script: string): { instructions: number; libc: number; lines: string[] } {
  writeFileSync(join(dir, 'run.js'), script, { mode: 0o600 });
  const outFile = join(dir, 'callgrind.out');
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, join(ESPRUINO_DIR, 'espruino'), 'run.js'], {
    cwd: dir, encoding: 'latin1', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  const lines = (r.stdout ?? '').split(/\r?\n/).filter((l) => l.includes(LINE_PREFIX)).map((l) => l.slice(l.indexOf(LINE_PREFIX) + LINE_PREFIX.length));
  if (!m || /Uncaught|OUT OF MEMORY|ERROR/.test(r.stdout ?? '')) throw new Error(`callgrind run failed:\n${(r.stdout ?? '').slice(-1500)}\n${(r.stderr ?? '').slice(-800)}`);
  return { instructions: Number(m[1]), libc: libcInstructions(outFile), lines };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'device-cost-'));
  const out = join(tmp, 'device-cost.js');
  await bundle(join(import.meta.dirname, 'entry.ts'), out, 'DeviceCost', { nativeOnly: true, mangleAll: true });
  const session = openSession('pico64');
  const stubs = readFileSync(join(import.meta.dirname, 'stubs.js'), 'latin1');
  const ops: Record<string, unknown> = {};
  try {
    session.writeFile('dc', readFileSync(out, 'latin1'));
    for (const [op, n, what] of OPS) {
      const script = (k: number): string => `${stubs}\neval(require('Storage').read('dc'));\nDeviceCost.run(${JSON.stringify(op)}, ${k}, function (l) { print('${LINE_PREFIX}' + l); });\n`;
      const base = callgrind(session.dir, script(0));
      const full = callgrind(session.dir, script(n));
      const result = (full.lines.find((l) => l.startsWith(op + ' ')) ?? '').split(' ').map(Number);
      const units = result[1];
      if (!(units > 0)) throw new Error(`${op}: no result line (${full.lines.join('; ')})`);
      // The interpreter's own instructions: libc (flash-file I/O on Linux) taken out.
      const linuxFlashIo = (full.libc - base.libc) / (n * units);
      let x86 = (full.instructions - full.libc - (base.instructions - base.libc)) / (n * units);
      // read-2048: its first block (the file's header) is a short one; take it out at read-239's cost.
      const extended = result[2] || 0;
      if (extended && extended < units) {
        const short = (ops['read-239'] as { x86Instructions: number } | undefined)?.x86Instructions;
        if (!short) throw new Error('read-239 must be measured before read-2048');
        x86 = (x86 * units - short * (units - extended)) / extended;
      }
      const us = (f: number): number => Math.round(((x86 * f) / SCALE.clockHz) * 1e7) / 10;
      ops[op] = { what, x86Instructions: Math.round(x86), linuxFlashIoLeftOut: Math.round(linuxFlashIo), us: { low: us(SCALE.low), high: us(SCALE.high) }, repetitions: n, unitsPerRepetition: extended || units };
      console.log(`${op}: ${Math.round(x86)} x86 instructions, ${us(SCALE.low)}-${us(SCALE.high)} µs on a Pico`);
    }
  } finally {
    session.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const table = {
    what: 'Interpreted JavaScript of the firmware per operation on an Espruino Pico (npm run bench:device); native calls stubbed, their cost is native-counts.json',
    interpreter: `${ESPRUINO_DIR}/espruino (2v29, Linux, Pico layout) under valgrind --tool=callgrind`,
    model: 'us = x86 instructions x 1.3 (low) .. 2.1 (high) / 84 MHz (../shared/espruino/README.md: an x86 instruction of this interpreter is 1 to 1.5 Thumb-2 instructions, ~0.7 instructions a cycle from flash; calibration: a Leibniz loop at 458 us per iteration on a Pico is 29.9 k x86 instructions here, factor 1.29)',
    caveats: 'Code runs from Storage as on a Pico after save; on this Linux build Storage is a file read with fopen/fseek/fread/fclose on every flash read: those libc instructions (linuxFlashIoLeftOut) are left out of x86Instructions, which keeps the interpreter\'s own (a Leibniz-loop iteration from Storage costs 28.5 k x86 instructions against 23.9 k from RAM here; the part of that inside the interpreter\'s own flash-read wrapper stays in). Bundled with mangleAll (as the firmware): with only _-names mangled, the bundle hit ASSERT(jsvHasChildren(obj)) in jsvar.c on this interpreter.',
    method: 'instructions(n = N) - instructions(n = 0), same setup and warm-up, divided by N x units; stubs are empty JS functions, so one stub call (~ an E.nativeCall dispatch) stays in; the fake PN532/chip JS (a cache lookup, a setTimeout per answer) is in the read-* and pn532-exchange figures (an over-estimate); UART data arrives in one piece per frame (a board delivers it in several Serial events: an under-estimate)',
    ops,
  };
  writeFileSync(DEVICE_COST_PATH, JSON.stringify(table, null, 2) + '\n');
  console.log(`wrote ${DEVICE_COST_PATH}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
