// Runs one scenario once: a fresh virtual reader (the BUNDLED firmware in the Espruino shim, the
// PN532 simulator, a virtual passport) on a VirtualClock, the faults of the scenario armed as it
// says, one read judged (read-check.ts), then the faults lifted and a clean follow-up read that
// must verify: the device is back to idle whatever happened.

import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture, type Fixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { LinkFaults } from '@epassport/hardware/sim/link-faults';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { Pn532Faults } from '@epassport/hardware/sim/pn532/pn532-faults';
import { createVirtualDevice, type VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { TrustStore } from '@epassport/host-sdk/pa/trust-store';
import { FILE, type Message } from '@epassport/protocol';
import { firmwareBundle } from '../../firmware/test/device-host';
import { FaultHost, isFinal } from './fault-host';
import { judgeRead, type ReadVerdict } from './read-check';
import { calibrate, type Calibration } from './calibration';
import type { Action, At, FilePatch, Mutation, PassportSpec, Scenario, Step, Trigger } from './scenario';
import { draw, randomBytes, seededRandom, type Range } from './seeded-random';

export interface RunResult {
  scenario: string;
  seed: number;
  board: string;
  outcome: string;
  /** The outcome is one the scenario accepts. */
  expected: boolean;
  dataLost: number;
  duplicated: number;
  wrongVerdicts: number;
  /** The faulted read (or the host's return) did not finish in its virtual time. */
  hang: boolean;
  /** Uncaught errors in the shim (firmware bugs). */
  crashes: number;
  /** The clean follow-up read verified. */
  idleAfter: boolean;
  /** Virtual ms of the faulted read. */
  virtualMs: number;
  notes: string[];
}

const fixtures = new Map<string, Fixture>();
const trusts = new Map<string, TrustStore>();

export function fixtureOf(name: string): Fixture {
  let f = fixtures.get(name);
  if (!f) {
    f = loadFixture(name);
    fixtures.set(name, f);
  }
  return f;
}

export function trustOf(fixture: Fixture): TrustStore {
  let t = trusts.get(fixture.name);
  if (!t) {
    t = new TrustStore();
    t.add(fixture.cscaCertificate, 'fixture CSCA');
    trusts.set(fixture.name, t);
  }
  return t;
}

/** The nested TLV a hostile chip serves: `depth` levels of tag 30 with 2-byte lengths. */
function nestedTlv(tag: number, depth: number): Uint8Array {
  let inner = new Uint8Array([0x05, 0x00]);
  for (let d = 0; d < depth; d++) {
    const t = d === depth - 1 ? tag : 0x30;
    const out = new Uint8Array(inner.length + 4);
    out.set([t, 0x82, inner.length >> 8, inner.length & 0xff], 0);
    out.set(inner, 4);
    inner = out;
  }
  return inner;
}

export function patchFiles(files: { [id: number]: Uint8Array }, patches: FilePatch[], random: () => number): { [id: number]: Uint8Array } {
  const out: { [id: number]: Uint8Array } = { ...files };
  for (const p of patches) {
    const original = out[p.file];
    if ('missing' in p) delete out[p.file];
    else if ('garbage' in p) out[p.file] = randomBytes(random, draw(random, p.garbage));
    else if ('header' in p) {
      const f = original.slice();
      f.set(p.header, 0);
      out[p.file] = f;
    } else if ('nested' in p) out[p.file] = nestedTlv(p.tag, draw(random, p.nested));
    else if ('flipByteAt' in p) {
      const f = original.slice();
      f[Math.min(draw(random, p.flipByteAt), f.length - 1)] ^= 1 + Math.floor(random() * 255);
      out[p.file] = f;
    } else if ('truncateTo' in p) out[p.file] = original.slice(0, draw(random, p.truncateTo));
  }
  return out;
}

/** Draws an At: inside a phase means answers 'answers', answer 'bytes' or virtual 'ms'. */
export function drawAt(random: () => number, at: At, unit: 'answers' | 'bytes' | 'ms', cal: Calibration): number {
  if (typeof at === 'number' || Array.isArray(at)) return draw(random, at);
  const span = cal.phases[at.in];
  if (unit === 'answers') return draw(random, [span.firstAnswer, span.lastAnswer]);
  if (unit === 'bytes') return draw(random, [span.startByte, Math.max(span.startByte, span.endByte - 1)]);
  // Time: the phase's share of the read, by bytes (good enough to land inside it).
  const f = (b: number): number => Math.floor((cal.virtualMs * b) / cal.bytes);
  return draw(random, [f(span.startByte), Math.max(f(span.startByte), f(span.endByte) - 1)]);
}

function mutator(m: Mutation, random: () => number, cal: Calibration): (apdu: Uint8Array, response: Uint8Array) => Uint8Array {
  const at = drawAt(random, m.response, 'answers', cal);
  let n = 0;
  return (_apdu, response) => {
    n++;
    if (m.kind === 'flip-bit' && n === at) {
      const r = response.slice();
      const bit = Math.floor(random() * r.length * 8);
      r[bit >> 3] ^= 1 << (bit & 7);
      return r;
    }
    if (m.kind === 'status' && n === at) {
      const sw = m.sw[Math.floor(random() * m.sw.length)];
      return new Uint8Array([sw >> 8, sw & 0xff]);
    }
    if (m.kind === 'status-from' && n >= at) return new Uint8Array([m.sw >> 8, m.sw & 0xff]);
    if (m.kind === 'oversize' && n === at) {
      const extra = randomBytes(random, draw(random, m.extra));
      const r = new Uint8Array(response.length + extra.length);
      r.set(response.subarray(0, response.length - 2), 0);
      r.set(extra, response.length - 2);
      r.set(response.subarray(response.length - 2), r.length - 2);
      return r;
    }
    return response;
  };
}

function passportOptions(spec: PassportSpec | undefined, random: () => number, cal: Calibration): PassportOptions {
  const o: PassportOptions = { random: (n) => randomBytes(random, n) };
  if (!spec) return o;
  if (spec.removedAfterBytes !== undefined) o.removedAfterBytes = drawAt(random, spec.removedAfterBytes, 'bytes', cal);
  // Counted over answers under secure messaging: BAC's three plain answers come first.
  // The option counts SM responses; the read's answers after BAC include one that is not (the
  // extended-length probe's bare 6700 on a chip without it), so the last answer has no SM twin.
  if (spec.wrongMacResponse !== undefined) o.wrongMacResponse = Math.max(1, Math.min(cal.answers - cal.phases.bac.lastAnswer - 1, drawAt(random, spec.wrongMacResponse, 'answers', cal) - cal.phases.bac.lastAnswer));
  if (spec.corruptResponse) {
    o.corruptResponse = { index: drawAt(random, spec.corruptResponse.index, 'answers', cal) };
    if (spec.corruptResponse.byteOffset !== undefined) o.corruptResponse.byteOffset = draw(random, spec.corruptResponse.byteOffset);
  }
  if (spec.processingMs !== undefined) {
    const p = spec.processingMs;
    if (typeof p === 'number' || Array.isArray(p)) o.processingMs = draw(random, p as Range);
    else {
      const per: Record<string, number> = {};
      for (const [k, r] of Object.entries(p)) per[k] = draw(random, r as Range);
      o.processingMs = per;
    }
  }
  if (spec.mutate) o.mutateResponse = mutator(spec.mutate, random, cal);
  if (spec.shortReadSw !== undefined) o.shortReadSw = spec.shortReadSw;
  if (spec.plainErrors !== undefined) o.plainErrors = spec.plainErrors;
  return o;
}

/** Files a complete read of the genuine chip holds for `groups`. */
export function requiredFiles(groups: number[]): number[] {
  const out = [FILE.COM, FILE.SOD, 1];
  for (const g of groups) if (g !== 1 && out.indexOf(g) < 0) out.push(g);
  return out;
}

export interface Reader {
  clock: VirtualClock;
  device: VirtualDevice;
  faults: Pn532Faults;
  link: LinkFaults;
  host: FaultHost;
  fixture: Fixture;
}

let bundleText: string | null = null;

/** A virtual reader built the way the matrix needs it (faults objects in hand, seeded RNGs). */
export async function buildReader(board: string, fixture: Fixture, card: VirtualPassport | null, random: () => number, beforeStart?: (device: VirtualDevice) => void): Promise<Reader> {
  // The text, read once: a long matrix must not depend on a temporary file staying in /tmp.
  bundleText ??= readFileSync(await firmwareBundle(), 'utf8');
  const clock = new VirtualClock();
  const faults = new Pn532Faults();
  const link = new LinkFaults({}, random);
  const device = createVirtualDevice({ clock, board: loadBoard(board), card, bundleSource: bundleText, faults, linkFaults: link, start: false });
  // The board's hardware RNG (BAC's RND.IFD, K.IFD): seeded, so a run can be repeated.
  const install = device.runtime.evaluate('(function (f) { E.hwRand = f; })') as (f: () => number) => void;
  install(() => Math.floor(random() * 0x100000000) | 0);
  if (beforeStart) beforeStart(device);
  device.start();
  const host = new FaultHost(device, clock);
  return { clock, device, faults, link, host, fixture };
}

/** Lifts every fault: the module speaks, the link is clean, the card is a fresh genuine one. */
export function liftFaults(r: Reader): void {
  r.faults.speak();
  r.faults.dropAcks = 0;
  r.faults.corruptResponses = 0;
  r.faults.exchangeErrors = [];
  // A reset armed in the faulted read may be scheduled to fire after it ended (0-20 ms after its
  // last ACK): it belongs to that read, not to the follow-up (seed 480054093 on pico).
  r.faults.cancelResets();
  r.faults.endlessMoreParts = 0;
  r.link.configure({}).reconnect();
  r.device.setCard(new VirtualPassport(r.fixture.files, r.fixture.bac, { random: (n) => new Uint8Array(cryptoRandomBytes(n)) }));
}

/** A clean read on the same device must verify (bytes identical, passive authentication ok). */
export function followUpRead(r: Reader): { ok: boolean; verdict: ReadVerdict | null; error?: string } {
  try {
    if (r.host.isClosed) {
      r.host = new FaultHost(r.device, r.clock);
      r.host.hello();
    }
    const from = r.host.startRead(r.fixture.bac, [1, 2, 15]);
    const end = r.host.waitFor((m) => isFinal(m) || (m.type === 'error' && m.code === 'busy'), from, 60_000);
    if (end.type === 'error' && end.code === 'busy') return { ok: false, verdict: null, error: 'refused busy: the device was not idle' };
    r.host.waitFor(isFinal, from, 60_000);
    const messages = r.host.messages.slice(from);
    const verdict = judgeRead(messages, { served: r.fixture.files, signed: r.fixture.files, trust: trustOf(r.fixture), required: requiredFiles([1, 2, 15]) });
    return { ok: verdict.outcome === 'verified' && verdict.dataLost === 0 && verdict.duplicated === 0, verdict };
  } catch (e) {
    return { ok: false, verdict: null, error: (e as Error).message };
  }
}

function triggerMatches(t: Trigger, m: Message, random: () => number, drawn: Map<Trigger, number>): boolean {
  if ('progress' in t) return m.type === 'progress' && m.phase === t.progress;
  if ('fileBegin' in t) return m.type === 'file-begin' && m.fileId === t.fileBegin;
  if ('chunk' in t) {
    if (!drawn.has(t)) drawn.set(t, draw(random, t.offset));
    return m.type === 'file-chunk' && m.fileId === t.chunk && m.offset + m.data.length >= drawn.get(t)!;
  }
  return false;
}

export async function runScenario(s: Scenario, seed: number): Promise<RunResult> {
  const random = seededRandom(seed);
  const boards = s.boards ?? ['pico'];
  const board = boards[Math.floor(random() * boards.length)];
  const fixture = fixtureOf(s.fixture ?? 'utopia-anna');
  const cal = await calibrate(fixture);
  const served = s.files ? patchFiles(fixture.files, s.files, random) : fixture.files;
  const passport = new VirtualPassport(served, fixture.bac, passportOptions(s.passport, random, cal));
  const r = await buildReader(board, fixture, s.cardAbsentAtStart ? null : passport, random);
  const result: RunResult = {
    scenario: s.name, seed, board, outcome: 'no-final', expected: false, dataLost: 0, duplicated: 0, wrongVerdicts: 0,
    hang: false, crashes: 0, idleAfter: false, virtualMs: 0, notes: [],
  };
  try {
    r.host.hello();
  } catch (e) {
    result.hang = true;
    result.notes.push('hello: ' + (e as Error).message);
    return result;
  }

  const timers: number[] = [];
  const act = (a: Action): void => {
    if ('pn532' in a) {
      const f = r.faults;
      if (a.pn532 === 'drop-ack') f.dropNextAck(draw(random, a.count));
      else if (a.pn532 === 'corrupt-response') f.corruptNextResponse(draw(random, a.count));
      else if (a.pn532 === 'exchange-error') f.failNextExchange(a.status, draw(random, a.count));
      else if (a.pn532 === 'silence') f.silence(a.ms === undefined ? Infinity : draw(random, a.ms));
      else if (a.pn532 === 'speak') f.speak();
      else if (a.pn532 === 'reset-mid-command') f.resetDuringNextCommand(draw(random, a.afterAckMs));
      else f.moreInformationForever(a.parts);
    } else if ('card' in a) {
      if (a.card === 'remove') passport.remove();
      else if (!passport.isPresent() || s.cardAbsentAtStart) {
        passport.configure({ removedAfterBytes: undefined });
        passport.insert();
        r.device.setCard(passport);
      }
    } else if ('link' in a) {
      if (a.link === 'faults') r.link.configure(a.plan);
      else r.link.hold(a.direction, draw(random, a.ms));
    } else if (a.host === 'deaf') r.host.deaf(draw(random, a.ms));
    else r.host.send({ type: 'cancel' });
  };
  const fire = (step: Step): void => {
    for (const a of step.do) act(a);
    if (step.later) {
      const later = step.later;
      timers.push(r.clock.setTimeout(() => later.do.forEach(act), draw(random, later.ms)));
    }
  };

  const steps = s.steps ?? [];
  const waiting = steps.filter((st) => !('afterMs' in st.when));
  const drawn = new Map<Trigger, number>();
  r.host.onMessage = (m) => {
    for (let i = 0; i < waiting.length; i++) {
      if (triggerMatches(waiting[i].when, m, random, drawn)) {
        const st = waiting.splice(i--, 1)[0];
        fire(st);
      }
    }
  };
  if (s.link) r.link.configure(s.link);
  const t0 = r.clock.now();
  const from = r.host.startRead(fixture.bac, s.dataGroups ?? [1, 2, 15], s.cardTimeoutMs ?? 5000);
  for (const st of steps) {
    const t = st.when;
    if ('afterMs' in t) timers.push(r.clock.setTimeout(() => fire(st), drawAt(random, t.afterMs, 'ms', cal)));
  }
  const finished = (): boolean => r.host.messages.slice(from).some(isFinal);
  const maxMs = s.maxMs ?? 60_000;
  let abandoned = false;
  try {
    if (s.hostCloses) {
      const at = drawAt(random, s.hostCloses.atMs, 'ms', cal);
      r.clock.runUntil(() => finished() || r.clock.now() >= t0 + at, maxMs);
      if (!finished()) {
        abandoned = true;
        r.link.disconnect();
        r.host.close();
        const apdus = r.device.stats.apdus;
        r.clock.advance(draw(random, s.hostCloses.backAfterMs));
        r.link.reconnect();
        result.notes.push(`host away: the device made ${r.device.stats.apdus - apdus} more APDUs, PN532 ${r.device.pn532.asleep ? 'asleep' : 'awake'} when it came back`);
        r.host = new FaultHost(r.device, r.clock);
        r.host.hello();
      }
    } else {
      r.clock.runUntil(finished, maxMs);
    }
  } catch (e) {
    result.hang = true;
    result.notes.push((e as Error).message);
  }
  result.virtualMs = Math.round(r.clock.now() - t0);
  for (const id of timers) r.clock.clearTimeout(id);
  r.host.onMessage = null;

  if (abandoned) {
    result.outcome = 'abandoned';
  } else {
    const messages = r.host.messages.slice(from);
    if (process.env.FAULTS_DEBUG) for (const m of messages) if (m.type === 'error') result.notes.push('error message: ' + JSON.stringify(m));
    const verdict = judgeRead(messages, {
      served, signed: fixture.files, trust: trustOf(fixture), required: s.files ? undefined : requiredFiles(s.dataGroups ?? [1, 2, 15]),
    });
    result.outcome = result.hang ? 'hang' : verdict.outcome;
    result.dataLost = verdict.dataLost;
    result.duplicated = verdict.duplicated;
    result.wrongVerdicts = verdict.wrongVerdicts;
    if (verdict.extraFinals) result.notes.push(verdict.extraFinals + ' extra final message(s)');
    result.notes.push(...verdict.notes);
  }
  const typed = !['untyped', 'no-final', 'hang', 'verified', 'unverified', 'abandoned'].includes(result.outcome);
  result.expected = s.expect.includes(result.outcome) || (s.expect.includes('*') && typed);

  liftFaults(r);
  const follow = followUpRead(r);
  result.idleAfter = follow.ok;
  if (!follow.ok) result.notes.push('follow-up read: ' + (follow.error ?? follow.verdict?.outcome + ' ' + follow.verdict?.notes.join('; ')));
  result.crashes = r.device.errors.length;
  for (const e of r.device.errors) result.notes.push(`uncaught ${e.name}: ${e.message}`);
  r.device.stop();
  return result;
}
