// Runs a scripted read (scripted-read.ts) on the real interpreter and returns its figures.

import { readFileSync } from 'node:fs';
import { pretokenise } from '../../tools/pretokenise';
import { complaints, openSession, type Build, type EspruinoSession } from './espruino-runner';
import { FAKE_READER, PORTABLE_BUNDLE, RANDOM_SOURCE, type ScriptedRead } from './scripted-read';

export interface ReadFigures {
  build: Build;
  /** process.memory() before the bundle, after it, the fake's own share, the Pico's total. */
  load: { before: number; after: number; free: number; fake: number; total: number };
  /** The playback: last message type (0x86 result), results received, events consumed / recorded,
   * peak usage, usage 20 ms after each read's result (the last is `end`). */
  read: { final: number; finals: number; consumed: number; events: number; peak: number; peakAt: number; started: number; samples: number; end: number; ends: number[]; failure: string };
  complaints: string[];
  output: string;
  wallMs: number;
}

/** Everything runs from Storage: the bundle, the fake and this main script (no script text in RAM). */
function mainScript(board: object, trace: boolean): string {
  return RANDOM_SOURCE + (trace ? 'var FAKE_TRACE=1;' : '') + `
var m0 = process.memory().usage;
eval(require('Storage').read('fw'));
var m1 = process.memory();
eval(require('Storage').read('fake'));
var m2 = process.memory().usage;
print('@@ load ' + JSON.stringify({ before: m0, after: m1.usage, free: m1.free, fake: m2 - m1.usage, total: m1.total }));
m0 = m1 = m2 = undefined;
Firmware.start(${JSON.stringify(board)});
FakeReader.begin();
`;
}

/** `pretokenised`: store the bundle as the flash tool stores code (tools/pretokenise.ts).
 * `trace`: the output has a line '@@ s <event> <used>' per sample (a USB write: -event). */
export async function runScriptedRead(scripted: ScriptedRead, build: Build, timeoutMs: number, bundle = PORTABLE_BUNDLE, pretokenised = false, trace = false): Promise<ReadFigures> {
  const session = openSession(build);
  try {
    const text = readFileSync(bundle, 'latin1');
    return await playRead(session, build, scripted, pretokenised ? pretokenise(text) : text, mainScript(scripted.board, trace), timeoutMs);
  } finally {
    session.close();
  }
}

/** Stores `fw` (the bundle as stored), the fake reader, the recording's files and `main` in
 * `session`, runs `main` and reads its '@@ load' and '@@ read' lines. */
export async function playRead(session: EspruinoSession, build: Build, scripted: ScriptedRead, fw: string, main: string, timeoutMs: number): Promise<ReadFigures> {
  session.writeFile('fw', fw);
  session.writeFile('fake', readFileSync(FAKE_READER, 'latin1'));
  for (const [name, bytes] of Object.entries(scripted.files)) session.writeFile(name, bytes);
  session.writeFile('main', main);
  const t0 = Date.now();
  // Asynchronous: a whole read takes minutes, and a test worker must keep answering vitest.
  const r = await session.runAsync(`eval(require('Storage').read('main'));`, timeoutMs);
  const wallMs = Date.now() - t0;
  const line = (tag: string): unknown => {
    const l = r.lines.find((x) => x.startsWith(tag + ' '));
    return l ? JSON.parse(l.slice(tag.length + 1)) : null;
  };
  return {
    build,
    load: line('load') as ReadFigures['load'],
    read: line('read') as ReadFigures['read'],
    complaints: complaints(r.output),
    output: r.output,
    wallMs,
  };
}
