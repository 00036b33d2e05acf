// Where each phase of a clean read falls, in chip answers and answer bytes, measured once per
// fixture with the current firmware (block sizes change with it), so that scenarios can say
// "a byte inside DG2" instead of numbers that go stale.

import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { FILE } from '@epassport/protocol';
import type { Fixture } from '@epassport/hardware/fixtures/index';
import { isFinal } from './fault-host';
import { buildReader } from './run-scenario';
import { seededRandom } from './seeded-random';

export type Phase = 'bac' | 'ef-com' | 'ef-sod' | 'dg1' | 'dg2' | 'dg15' | 'read';

export interface Span {
  /** Answers (1-based, inclusive). */
  firstAnswer: number;
  lastAnswer: number;
  /** Answer bytes sent before the phase, and at its end. */
  startByte: number;
  endByte: number;
}

export interface Calibration {
  answers: number;
  bytes: number;
  virtualMs: number;
  phases: Record<Phase, Span>;
}

const PHASE_OF_SFI: Record<number, Phase> = { [FILE.COM]: 'ef-com', [FILE.SOD]: 'ef-sod', 1: 'dg1', 2: 'dg2', 15: 'dg15' };
const cache = new Map<string, Promise<Calibration>>();

async function measure(fixture: Fixture): Promise<Calibration> {
  const marks: { phase: Phase; answer: number; byte: number }[] = [{ phase: 'bac', answer: 1, byte: 0 }];
  let answers = 0;
  let bytes = 0;
  const passport = new VirtualPassport(fixture.files, fixture.bac, {
    mutateResponse: (apdu, response) => {
      answers++;
      // READ BINARY with a short EF identifier (P1 bit 8): the first read of a file.
      if (apdu.length >= 4 && apdu[1] === 0xb0 && apdu[2] & 0x80) {
        const phase = PHASE_OF_SFI[apdu[2] & 0x1f];
        if (phase) marks.push({ phase, answer: answers, byte: bytes });
      }
      bytes += response.length;
      return response;
    },
  });
  const r = await buildReader('pico', fixture, passport, seededRandom(1));
  r.host.hello();
  const t0 = r.clock.now();
  const from = r.host.startRead(fixture.bac);
  r.host.waitFor(isFinal, from);
  const virtualMs = r.clock.now() - t0;
  r.device.stop();
  const phases = {} as Record<Phase, Span>;
  for (let i = 0; i < marks.length; i++) {
    const next = marks[i + 1];
    phases[marks[i].phase] = {
      firstAnswer: marks[i].answer, lastAnswer: next ? next.answer - 1 : answers,
      startByte: marks[i].byte, endByte: next ? next.byte : bytes,
    };
  }
  phases.read = { firstAnswer: 1, lastAnswer: answers, startByte: 0, endByte: bytes };
  return { answers, bytes, virtualMs, phases };
}

export function calibrate(fixture: Fixture): Promise<Calibration> {
  let c = cache.get(fixture.name);
  if (!c) {
    c = measure(fixture);
    cache.set(fixture.name, c);
  }
  return c;
}
