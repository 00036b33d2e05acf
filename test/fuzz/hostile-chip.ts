// The hostile-chip fuzzer: many reads of the BUNDLED firmware (Espruino shim + PN532 simulator +
// virtual passport on a VirtualClock, firmware/test/device-host.ts) against a passport that lies.
// Each read follows a plan drawn from a seed:
//   - wire: the passport's `mutateResponse` hook damages R-APDUs (bit flips, truncation, another
//     status word, a bare status word, junk appended, emptied, TLV lengths rewritten). Under
//     secure messaging most of these become sm-failure, which is the point: they must.
//   - liar: the chip lies under a correct MAC: READ BINARY answers re-wrapped with the session
//     keys with no data and 9000, more data than asked, less, another status word, flipped or
//     replaced plaintext; this reaches the file reader's block logic, not just the parsers.
//   - plaintext: the passport's files themselves are hostile (EF.COM, EF.SOD, DG1, DG2 mutated
//     structurally, replaced by random bytes, declared 4 GB long, or missing) but served under a
//     correct MAC, so the firmware's own parsers see the hostile bytes.
// Checked for every read: exactly one final message (result, or an error whose code is in
// ERROR_CODES and is not 'internal'), nothing after it, no uncaught error in the shim; when the
// host SDK (parse + passive authentication with the fixture's CSCA) says verified, every data
// group is byte for byte the fixture's and EF.SOD's signed content is the fixture's; a device
// hash verdict 'match' agrees with the host's. Every `idleCheckEvery` reads a clean read of a
// good passport must succeed (the device went back to idle).

import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { ERROR_CODES, type Message } from '@epassport/protocol';
import { parseDg1 } from '@epassport/host-sdk/lds/dg1';
import { passiveAuthentication } from '@epassport/host-sdk/pa/passive-authentication';
import { parseSod } from '@epassport/host-sdk/pa/sod';
import { TrustStore } from '@epassport/host-sdk/pa/trust-store';
import { ReaderError } from '@epassport/host-sdk/reader-error';
import type { SessionKeys } from '@epassport/hardware/sim/passport/bac-crypto';
import { seededRandom } from '@epassport/hardware/sim/seeded-random';
import { unwrapResponse, wrapResponse } from '@epassport/hardware/sim/passport/secure-messaging';
import type { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { filesOf, newPassport, rig, type Rig } from '../../firmware/test/device-host';
import { arbMutations, mutateAll, type Mutation } from './ber-mutator';

/** Codes a hostile chip may legitimately cause. Not: internal (a bug), busy (not idle), and the
 * host-side ones (bad-request, protocol-version, invalid-mrz, cancelled, link-error). */
export const HOSTILE_CHIP_CODES = ERROR_CODES.filter((c) => !['internal', 'busy', 'bad-request', 'protocol-version', 'invalid-mrz', 'cancelled', 'link-error'].includes(c));

const SFI = { COM: 0x1e, SOD: 0x1d };

export type WireKind = 'flip' | 'truncate' | 'sw' | 'bare' | 'junk' | 'empty' | 'tlv';

export type LieKind = 'empty-ok' | 'more' | 'less' | 'sw' | 'flip' | 'replace';

export interface Plan {
  seed: number;
  dataGroups: number[];
  /** Lie in READ BINARY answers under a correct MAC: each with probability `rate`. */
  liar: { rate: number; kinds: LieKind[] } | null;
  /** Damage R-APDUs on the wire: each response with probability `rate`, by one of `kinds`. */
  wire: { rate: number; kinds: WireKind[] } | null;
  /** Hostile file contents, served under a correct MAC. */
  file: { id: number; how: 'mutate'; mutations: Mutation[] } | { id: number; how: 'random'; length: number }
    | { id: number; how: 'huge' } | { id: number; how: 'remove' } | null;
}

const WIRE_KINDS: WireKind[] = ['flip', 'truncate', 'sw', 'bare', 'junk', 'empty', 'tlv'];
const LIE_KINDS: LieKind[] = ['empty-ok', 'more', 'less', 'sw', 'flip', 'replace'];

export const arbPlan: fc.Arbitrary<Plan> = fc.record({
  seed: fc.integer(),
  dataGroups: fc.constantFrom<number[]>([1], [1], [1, 15], [1, 2, 15]),
  wire: fc.option(fc.record({ rate: fc.constantFrom(0.01, 0.03, 0.1, 0.3), kinds: fc.subarray(WIRE_KINDS, { minLength: 1 }) }), { freq: 2, nil: null }),
  liar: fc.option(fc.record({ rate: fc.constantFrom(0.02, 0.1, 0.3, 1), kinds: fc.subarray(LIE_KINDS, { minLength: 1 }) }), { freq: 3, nil: null }),
  file: fc.option(fc.oneof(
    { weight: 6, arbitrary: fc.record({ id: fc.constantFrom(SFI.COM, SFI.SOD, SFI.SOD, 1, 2, 15), how: fc.constant('mutate' as const), mutations: arbMutations }) },
    { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(SFI.COM, SFI.SOD, 1, 15), how: fc.constant('random' as const), length: fc.integer({ min: 0, max: 400 }) }) },
    { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(SFI.COM, SFI.SOD, 1, 2), how: fc.constant('huge' as const) }) },
    { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(SFI.COM, SFI.SOD, 1, 15), how: fc.constant('remove' as const) }) },
  ), { freq: 3, nil: null }),
}).filter((p) => p.wire !== null || p.file !== null || p.liar !== null);


const SWS = [0x9000, 0x6282, 0x6700, 0x6982, 0x6985, 0x6987, 0x6988, 0x6a82, 0x6a86, 0x6b00, 0x6cff, 0x6d00, 0x6e00, 0x6f00, 0x6100, 0x63c0];

/** The `mutateResponse` hook for a plan's wire damage. */
export function wireMutator(plan: NonNullable<Plan['wire']>, seed: number, counter: { damaged: number }): (apdu: Uint8Array, response: Uint8Array) => Uint8Array {
  const rand = seededRandom(seed);
  const int = (n: number) => Math.floor(rand() * n);
  return (_apdu, response) => {
    if (rand() >= plan.rate) return response;
    counter.damaged++;
    const r = Uint8Array.from(response);
    const n = r.length;
    switch (plan.kinds[int(plan.kinds.length)]) {
      case 'flip':
        if (n) r[int(n)] ^= 1 << int(8);
        return r;
      case 'truncate':
        return r.subarray(0, int(n));
      case 'sw': {
        const sw = SWS[int(SWS.length)];
        if (n >= 2) {
          r[n - 2] = sw >> 8;
          r[n - 1] = sw & 0xff;
        }
        return r;
      }
      case 'bare': {
        const sw = SWS[int(SWS.length)];
        return Uint8Array.of(sw >> 8, sw & 0xff);
      }
      case 'junk': {
        const junk = new Uint8Array(1 + int(40)).map(() => int(256));
        const out = new Uint8Array(n + junk.length);
        out.set(r.subarray(0, Math.max(0, n - 2)), 0);
        out.set(junk, Math.max(0, n - 2));
        out.set(r.subarray(Math.max(0, n - 2)), out.length - Math.min(2, n));
        return out;
      }
      case 'empty':
        return new Uint8Array(0);
      case 'tlv': {
        // rewrite the length of the first data object (DO'87' under SM) in a random way
        if (n < 4) return r;
        const forms = [[0x80], [0x84, 0xff, 0xff, 0xff, 0xff], [0x81, int(256)], [0x82, int(256), int(256)], [r[1] + 1], [Math.max(0, r[1] - 1)]];
        const f = forms[int(forms.length)];
        const out = new Uint8Array(n - 1 + f.length);
        out[0] = r[0];
        out.set(f, 1);
        out.set(r.subarray(2), 1 + f.length);
        return out;
      }
    }
    return r;
  };
}

function previousSsc(ssc: Uint8Array): Uint8Array {
  const s = Uint8Array.from(ssc);
  for (let i = 7; i >= 0; i--) if ((s[i] = (s[i] - 1) & 0xff) !== 0xff) break;
  return s;
}

/**
 * The liar: re-opens a READ BINARY answer with the passport's own session keys (the SSC it just
 * used), changes the plaintext or the status word, and wraps it again, so the MAC is correct.
 */
export function liarMutator(plan: NonNullable<Plan['liar']>, seed: number, passport: () => VirtualPassport | null, counter: { damaged: number }): (apdu: Uint8Array, response: Uint8Array) => Uint8Array {
  const rand = seededRandom(seed ^ 0x1b873593);
  const int = (n: number) => Math.floor(rand() * n);
  return (apdu, response) => {
    const p = passport();
    const keys = p && (p as unknown as { session: SessionKeys | null }).session;
    if (!keys || response.length <= 2 || (apdu[1] !== 0xb0 && apdu[1] !== 0xb1) || rand() >= plan.rate) return response;
    const at = (ssc: Uint8Array) => ({ ksEnc: keys.ksEnc, ksMac: keys.ksMac, ssc: previousSsc(ssc) });
    const opened = unwrapResponse(at(keys.ssc), response);
    if (!opened.ok) return response;
    let data: Uint8Array = opened.data;
    let sw = opened.sw;
    switch (plan.kinds[int(plan.kinds.length)]) {
      case 'empty-ok': data = new Uint8Array(0); sw = 0x9000; break;
      case 'more': data = Uint8Array.from([...data, ...new Uint8Array(1 + int(64)).map(() => int(256))]); break;
      case 'less': data = data.subarray(0, int(data.length)); sw = rand() < 0.5 ? 0x9000 : 0x6282; break;
      case 'sw': sw = SWS[int(SWS.length)]; if (rand() < 0.5) data = new Uint8Array(0); break;
      case 'flip': data = Uint8Array.from(data); if (data.length) data[int(data.length)] ^= 1 << int(8); break;
      case 'replace': data = data.map(() => int(256)); break;
    }
    counter.damaged++;
    return wrapResponse(at(keys.ssc), data, sw);
  };
}

/** The passport's files for a plan (the fixture's, one of them made hostile). */
export function hostileFiles(files: { [id: number]: Uint8Array }, plan: Plan): { [id: number]: Uint8Array } {
  const out = { ...files };
  const f = plan.file;
  if (!f || !(f.id in out)) return out;
  if (f.how === 'remove') delete out[f.id];
  else if (f.how === 'mutate') out[f.id] = mutateAll(out[f.id], f.mutations);
  else if (f.how === 'random') {
    const rand = seededRandom(plan.seed ^ 0x5bd1e995);
    out[f.id] = new Uint8Array(f.length).map(() => Math.floor(rand() * 256));
  } else {
    // the file's own tag, declaring 4 GB, then its real bytes
    const tag = out[f.id][0];
    out[f.id] = Uint8Array.of(tag, 0x84, 0xff, 0xff, 0xff, 0xf0, ...out[f.id].subarray(2, 300));
  }
  return out;
}

export interface ReadOutcome {
  final: Message;
  /** A short label for statistics: 'result ok', 'result not-ok', or the error code. */
  label: string;
  verified: boolean;
}

export interface FuzzStats {
  reads: number;
  idleChecks: number;
  damagedResponses: number;
  outcomes: Record<string, number>;
  verified: number;
  failures: string[];
}

/** One hostile-chip campaign on one device. */
export class HostileChipFuzzer {
  readonly stats: FuzzStats = { reads: 0, idleChecks: 0, damagedResponses: 0, outcomes: {}, verified: 0, failures: [] };
  private trust = new TrustStore();
  private now: Date;

  private constructor(private r: Rig) {
    this.trust.add(r.fixture.cscaCertificate);
    this.now = this.referenceTime();
  }

  static async create(board = 'pico', fixture = 'utopia-anna'): Promise<HostileChipFuzzer> {
    const r = await rig(board, fixture);
    r.host.hello();
    return new HostileChipFuzzer(r);
  }

  /** A time inside the fixture's certificates' validity: the clean fixture verifies at it. */
  private referenceTime(): Date {
    const f = this.r.fixture;
    const from = (der: Uint8Array) => Date.parse(new X509Certificate(der).validFrom);
    const t = new Date(Math.max(from(f.documentSignerCertificate), from(f.cscaCertificate)) + 86_400_000);
    {
      const dataGroups = new Map<number, Uint8Array>([[1, f.files[1]]]);
      if (passiveAuthentication({ sod: f.files[SFI.SOD], dataGroups, trustStore: this.trust, now: t }).verified) return t;
    }
    throw new Error('the fixture does not verify against its CSCA: the oracle would be blind');
  }

  private fail(plan: Plan | null, what: string): void {
    this.stats.failures.push((plan ? 'seed ' + plan.seed + ' ' + JSON.stringify({ ...plan, file: plan.file && { id: plan.file.id, how: plan.file.how } }) + ': ' : 'clean read: ') + what);
  }

  /** Runs one read and checks it; returns the outcome (failures are collected in stats). */
  read(plan: Plan): ReadOutcome | null {
    const { fixture, device, host } = this.r;
    const counter = { damaged: 0 };
    const files = hostileFiles(fixture.files, plan);
    let passport: VirtualPassport | null = null;
    const wire = plan.wire ? wireMutator(plan.wire, plan.seed, counter) : null;
    const liar = plan.liar ? liarMutator(plan.liar, plan.seed, () => passport, counter) : null;
    const options = wire || liar ? {
      mutateResponse: (apdu: Uint8Array, response: Uint8Array) => {
        const lied = liar ? liar(apdu, response) : response;
        return wire ? wire(apdu, lied) : lied;
      },
    } : {};
    passport = newPassport({ ...fixture, files }, options);
    device.setCard(passport);
    const errorsBefore = device.errors.length;
    const from = host.messages.length;
    const messages = host.read({ ...this.r.bac, dataGroups: plan.dataGroups }, 300_000);
    // let anything that would follow the final message come out
    this.r.clock.advance(2000);
    const after = host.messages.slice(from);
    this.stats.reads++;
    this.stats.damagedResponses += counter.damaged;
    const finals = after.filter((m) => m.type === 'result' || m.type === 'error');
    if (device.errors.length > errorsBefore) this.fail(plan, 'uncaught error in the shim: ' + String(device.errors[device.errors.length - 1]));
    if (finals.length !== 1) {
      this.fail(plan, finals.length === 0 ? 'no final message (hang)' : finals.length + ' final messages');
      return null;
    }
    const final = finals[0];
    if (final.type === 'error' && !HOSTILE_CHIP_CODES.includes(final.code)) this.fail(plan, 'error code ' + final.code + ': ' + final.message);
    const label = final.type === 'error' ? final.code : final.ok ? 'result ok' : 'result not-ok';
    this.stats.outcomes[label] = (this.stats.outcomes[label] ?? 0) + 1;
    const verified = this.checkHost(plan, messages);
    if (verified) this.stats.verified++;
    return { final, label, verified };
  }

  /** The host SDK's view of what arrived; returns whether it says verified. */
  private checkHost(plan: Plan, messages: Message[]): boolean {
    const fixture = this.r.fixture;
    let files: Map<number, Uint8Array>;
    try {
      files = filesOf(messages);
    } catch (e) {
      this.fail(plan, 'file chunks out of order: ' + (e as Error).message);
      return false;
    }
    const dataGroups = new Map<number, Uint8Array>();
    for (const [id, bytes] of files) if (id >= 1 && id <= 16) dataGroups.set(id, bytes);
    const dg1 = dataGroups.get(1);
    if (dg1) {
      try {
        parseDg1(dg1);
      } catch (e) {
        if (!(e instanceof ReaderError)) this.fail(plan, 'parseDg1 threw ' + (e as Error).name + ': ' + (e as Error).message);
      }
    }
    const sod = files.get(SFI.SOD);
    let report;
    try {
      report = passiveAuthentication({ sod, dataGroups, trustStore: this.trust, now: this.now });
    } catch (e) {
      this.fail(plan, 'passiveAuthentication threw ' + (e as Error).name + ': ' + (e as Error).message);
      return false;
    }
    // the device's 'match' verdicts agree with the host's own hashing, when the host can read EF.SOD
    const hostVerdict = new Map(report.hashes.groups.map((g) => [g.dataGroup, g.verdict]));
    if (report.hashes.status !== 'not-checked') {
      for (const m of messages) {
        if (m.type === 'file-end' && m.fileId >= 1 && m.fileId <= 16 && m.verdict === 'match' && hostVerdict.get(m.fileId) !== 'match') {
          this.fail(plan, 'device says DG' + m.fileId + ' matches EF.SOD, the host says ' + hostVerdict.get(m.fileId));
        }
      }
    }
    if (!report.verified) return false;
    for (const [g, bytes] of dataGroups) {
      if (!Buffer.from(bytes).equals(Buffer.from(fixture.files[g]))) this.fail(plan, 'VERIFIED with DG' + g + ' different from the fixture');
    }
    if (sod && !Buffer.from(sod).equals(Buffer.from(fixture.files[SFI.SOD]))) {
      const a = parseSod(sod).cms;
      const b = parseSod(fixture.files[SFI.SOD]).cms;
      const attrs = (c: typeof a) => Buffer.from(new Uint8Array(c.signedData.signerInfos[0].signedAttrs!.encodedValue));
      if (!Buffer.from(a.eContent).equals(Buffer.from(b.eContent)) || !attrs(a).equals(attrs(b))) this.fail(plan, 'VERIFIED with EF.SOD signed content different from the fixture');
    }
    return true;
  }

  /** A good passport reads completely: the device is idle and healthy. */
  cleanRead(): boolean {
    const { fixture, device, host } = this.r;
    this.stats.idleChecks++;
    device.setCard(newPassport(fixture));
    const messages = host.read({ ...this.r.bac, dataGroups: [1] }, 300_000);
    const final = messages[messages.length - 1];
    const dg1 = filesOf(messages).get(1);
    const ok = final?.type === 'result' && final.ok && !!dg1 && Buffer.from(dg1).equals(Buffer.from(fixture.files[1]));
    if (!ok) this.fail(null, 'a good passport did not read after fuzzing: ' + JSON.stringify(final));
    return ok;
  }

  /** Reads plans from `seed` until `maxReads` or `deadline` (ms since epoch), whichever first. */
  run(seed: number, maxReads: number, deadline: number, idleCheckEvery = 50, onRead?: (i: number, o: ReadOutcome | null) => void): FuzzStats {
    const plans = fc.sample(arbPlan, { seed, numRuns: maxReads });
    for (let i = 0; i < plans.length && Date.now() < deadline; i++) {
      const outcome = this.read(plans[i]);
      if (onRead) onRead(i, outcome);
      if ((i + 1) % idleCheckEvery === 0) this.cleanRead();
    }
    this.cleanRead();
    return this.stats;
  }
}
