// The chip side of PACE with ECDH Generic Mapping (ICAO 9303 Part 11 §4.4) and of Chip
// Authentication with ECDH (§6.2), for the virtual passport. PACE: MSE:Set AT (00 22 C1 A4) then
// four chained GENERAL AUTHENTICATE commands (10 86, last 00 86): encrypted nonce, mapping keys,
// ephemeral keys, tokens; on success AES secure messaging with a zero 16-byte SSC. CA (AES
// suites): MSE:Set AT (0C 22 41 A4) + GENERAL AUTHENTICATE with the terminal's ephemeral key
// under the running SM, as §6.2.4 asks for AES (MSE:Set KAT is for the 3DES suites only); the
// answer goes out under the old keys, then SM restarts with the CA keys and SSC 0.
// Only AES suites are supported; a 3DES PACE/CA OID is refused with 6A80.

import { createPublicKey, diffieHellman } from 'node:crypto';
import { CommandApdu, encodeDo, readDo, SW } from './apdu';
import { equalBytes, SessionKeys } from './bac-crypto';
import { oid, seq, bitString } from '../document/der';
import {
  add, bigIntToBytes, bytesToBigInt, CURVES_BY_PARAMETER_ID, Curve, decodePoint, encodePoint, generator,
  multiply, Point, privateKeyFrom,
} from './ec-curves';
import { authenticationToken, kdf, KDF_ENC, KDF_MAC, mrzPassword, nonceCipher, passwordKey, SymmetricSuite } from './pace-crypto';
import type { PassportOptions } from './passport-options';
import { ID_CA_ECDH, ID_PACE_ECDH_GM, suiteOf } from './security-infos';
import { AES_SM } from './sm-cipher';

export interface ChipAnswer {
  data: Uint8Array;
  sw: number;
  /** Secure messaging to use from the next command on (set after the answer is sent). */
  nextSession?: SessionKeys;
}

const EMPTY = new Uint8Array(0);

function ok(data: Uint8Array = EMPTY): ChipAnswer {
  return { data, sw: SW.OK };
}

function fail(sw: number): ChipAnswer {
  return { data: EMPTY, sw };
}

/** The PACEInfos of an EF.CardAccess the chip trusts (its own file): OID content -> parameterId. */
export function paceInfosOf(cardAccess: Uint8Array | undefined): { protocol: Uint8Array; parameterId: number }[] {
  const out: { protocol: Uint8Array; parameterId: number }[] = [];
  const set = cardAccess ? readDo(cardAccess, 0) : null;
  if (!set || set.tag !== 0x31) return out;
  for (let at = 0; at < set.value.length;) {
    const info = readDo(set.value, at);
    if (!info) break;
    at = info.next;
    const o = readDo(info.value, 0);
    if (!o || o.tag !== 0x06 || !suiteOf(o.value, ID_PACE_ECDH_GM)) continue;
    const version = readDo(info.value, o.next);
    const param = version ? readDo(info.value, version.next) : null;
    if (param && param.tag === 0x02 && param.value.length === 1) out.push({ protocol: o.value, parameterId: param.value[0] });
  }
  return out;
}

/** The first id-CA-ECDH-* OID in the chip's DG14 (content bytes); null when none. */
function caProtocolOf(dg14: Uint8Array | undefined): Uint8Array | null {
  if (!dg14) return null;
  const prefix = oid(ID_CA_ECDH);
  for (let i = 0; i + prefix.length < dg14.length; i++) {
    let match = true;
    for (let k = 0; k < prefix.length && match; k++) match = k === 1 ? dg14[i + 1] === prefix[1] + 1 : dg14[i + k] === prefix[k];
    if (match) return dg14.slice(i + 2, i + 2 + dg14[i + 1]);
  }
  return null;
}

function newSession(secret: Uint8Array, suite: SymmetricSuite): SessionKeys {
  return { ksEnc: kdf(secret, KDF_ENC, suite), ksMac: kdf(secret, KDF_MAC, suite), ssc: new Uint8Array(16), cipher: AES_SM };
}

interface PaceRun {
  step: number;
  protocol: Uint8Array;
  suite: SymmetricSuite;
  curve: Curve;
  nonce?: bigint;
  mapped?: Point;
  pkMapIfd?: Uint8Array;
  skDh?: bigint;
  pkDhIc?: Uint8Array;
  pkDhIfd?: Uint8Array;
  session?: SessionKeys;
}

export class PaceChip {
  private run: PaceRun | null = null;
  private caProtocol: Uint8Array | null = null;

  constructor(
    private readonly files: Map<number, Uint8Array>,
    private readonly mrzInformation: string,
    private readonly options: () => PassportOptions,
    private readonly random: (n: number) => Uint8Array,
  ) {}

  reset(): void {
    this.run = null;
    this.caProtocol = null;
  }

  /** MSE:Set AT: P1P2 C1A4 selects PACE (plain), 41A4 selects Chip Authentication (under SM). */
  mseSetAt(cmd: CommandApdu, secure: boolean): ChipAnswer {
    const p1p2 = (cmd.p1 << 8) | cmd.p2;
    const dos = new Map<number, Uint8Array>();
    for (let at = 0; at < cmd.data.length;) {
      const d = readDo(cmd.data, at);
      if (!d || d.tag === 0x7f) return fail(SW.WRONG_DATA); // no CHAT (7F4C): no terminal authentication here
      dos.set(d.tag, d.value);
      at = d.next;
    }
    const protocol = dos.get(0x80);
    if (!protocol) return fail(SW.WRONG_DATA);
    if (p1p2 === 0xc1a4) return this.setPace(protocol, dos);
    if (p1p2 === 0x41a4) {
      this.caProtocol = null;
      const o = this.options();
      if (!secure) return fail(SW.SECURITY_NOT_SATISFIED);
      const own = caProtocolOf(this.files.get(0x010e));
      if (o.chipAuthFault === 'refuse' || !o.chipAuthKey || !own || !equalBytes(own, protocol)) return fail(SW.WRONG_DATA);
      const suite = suiteOf(protocol, ID_CA_ECDH);
      if (!suite || suite.cipher !== 'aes' || (dos.has(0x84) && !equalBytes(dos.get(0x84)!, Uint8Array.of(1)))) return fail(SW.WRONG_DATA);
      this.caProtocol = protocol;
      return ok();
    }
    return fail(SW.WRONG_P1P2);
  }

  private setPace(protocol: Uint8Array, dos: Map<number, Uint8Array>): ChipAnswer {
    this.run = null;
    const o = this.options();
    const password = dos.get(0x83);
    if (o.paceFault === 'refuse-mapping' || !password || password.length !== 1 || password[0] !== 0x01) return fail(SW.WRONG_DATA);
    const wanted = dos.get(0x84);
    const info = paceInfosOf(this.files.get(0x011c)).find((i) =>
      equalBytes(i.protocol, protocol) && (!wanted || (wanted.length === 1 && wanted[0] === i.parameterId)));
    const suite = suiteOf(protocol, ID_PACE_ECDH_GM);
    const curve = info ? CURVES_BY_PARAMETER_ID[info.parameterId] : undefined;
    if (!info || !suite || suite.cipher !== 'aes' || !curve) return fail(SW.WRONG_DATA);
    this.run = { step: 1, protocol, suite, curve };
    return ok();
  }

  /** GENERAL AUTHENTICATE: the next PACE step, or the CA key agreement. */
  generalAuthenticate(cmd: CommandApdu, chained: boolean, session: SessionKeys | null): ChipAnswer {
    if (this.caProtocol && session && !this.run) return this.chipAuthenticate(cmd);
    const r = this.run;
    if (!r || cmd.p1 !== 0 || cmd.p2 !== 0) return fail(SW.CONDITIONS_NOT_SATISFIED);
    const outer = readDo(cmd.data, 0);
    if (!outer || outer.tag !== 0x7c || outer.next !== cmd.data.length) return this.abort(SW.WRONG_DATA);
    const inner = outer.value.length ? readDo(outer.value, 0) : null;
    if (outer.value.length && (!inner || inner.next !== outer.value.length)) return this.abort(SW.WRONG_DATA);
    // Steps 1-3 are chained (CLA 10), the token step ends the chain (CLA 00).
    if (chained !== r.step < 4) return this.abort(SW.CONDITIONS_NOT_SATISFIED);
    const want = [0, 0x81, 0x83, 0x85][r.step - 1];
    if (r.step === 1 ? inner !== null : !inner || inner.tag !== want) return this.abort(SW.WRONG_DATA);
    switch (r.step) {
      case 1: return this.sendNonce(r);
      case 2: return this.map(r, inner!.value);
      case 3: return this.agree(r, inner!.value);
      default: return this.checkToken(r, inner!.value);
    }
  }

  private abort(sw: number): ChipAnswer {
    this.run = null;
    return fail(sw);
  }

  private scalar(fixed: Uint8Array | undefined, curve: Curve): bigint {
    return fixed ? bytesToBigInt(fixed) : privateKeyFrom(curve, this.random(curve.size + 8));
  }

  private sendNonce(r: PaceRun): ChipAnswer {
    const s = Uint8Array.from(this.options().paceNonce ?? this.random(16));
    r.nonce = bytesToBigInt(s);
    const kPi = passwordKey(mrzPassword(this.mrzInformation), r.suite);
    r.step = 2;
    return ok(encodeDo(0x7c, encodeDo(0x80, nonceCipher(kPi, s, false))));
  }

  private map(r: PaceRun, pkMapIfd: Uint8Array): ChipAnswer {
    const c = r.curve;
    const theirs = decodePoint(c, pkMapIfd);
    if (!theirs) return this.abort(SW.WRONG_DATA);
    const sk = this.scalar(this.options().paceMapKey, c);
    const h = multiply(c, sk, theirs);
    const mapped = add(c, multiply(c, r.nonce!, generator(c)), h);
    if (!h || !mapped) return this.abort(SW.WRONG_DATA);
    r.mapped = mapped;
    r.pkMapIfd = pkMapIfd;
    r.step = 3;
    return ok(encodeDo(0x7c, encodeDo(0x82, encodePoint(c, multiply(c, sk, generator(c))!))));
  }

  private agree(r: PaceRun, pkDhIfd: Uint8Array): ChipAnswer {
    const c = r.curve;
    const theirs = decodePoint(c, pkDhIfd);
    if (!theirs || equalBytes(pkDhIfd, r.pkMapIfd!)) return this.abort(SW.WRONG_DATA);
    const sk = this.scalar(this.options().paceDhKey, c);
    const pkDhIc = encodePoint(c, multiply(c, sk, r.mapped!)!);
    // §4.4.3.3: the chip checks that the terminal's ephemeral key differs from its own.
    if (equalBytes(pkDhIc, pkDhIfd)) return this.abort(SW.WRONG_DATA);
    const shared = multiply(c, sk, theirs);
    if (!shared) return this.abort(SW.WRONG_DATA);
    r.session = newSession(bigIntToBytes(shared.x, c.size), r.suite);
    r.pkDhIc = pkDhIc;
    r.pkDhIfd = pkDhIfd;
    r.step = 4;
    return ok(encodeDo(0x7c, encodeDo(0x84, pkDhIc)));
  }

  private checkToken(r: PaceRun, tokenIfd: Uint8Array): ChipAnswer {
    const o = this.options();
    const session = r.session!;
    const expected = authenticationToken(session.ksMac, r.protocol, r.pkDhIc!);
    if (!equalBytes(tokenIfd, expected)) return this.abort(o.paceFailureSw ?? SW.AUTH_FAILED);
    const tokenIc = Uint8Array.from(authenticationToken(session.ksMac, r.protocol, r.pkDhIfd!));
    if (o.paceFault === 'wrong-chip-token') tokenIc[7] ^= 0x01;
    this.run = null;
    return { data: encodeDo(0x7c, encodeDo(0x86, tokenIc)), sw: SW.OK, nextSession: session };
  }

  private chipAuthenticate(cmd: CommandApdu): ChipAnswer {
    const protocol = this.caProtocol!;
    this.caProtocol = null;
    const o = this.options();
    const outer = readDo(cmd.data, 0);
    const inner = outer && outer.tag === 0x7c ? readDo(outer.value, 0) : null;
    if (!inner || inner.tag !== 0x80 || inner.next !== outer!.value.length || outer!.next !== cmd.data.length) return fail(SW.WRONG_DATA);
    const key = o.chipAuthKey!;
    const curve = Object.values(CURVES_BY_PARAMETER_ID).find((c) => c.name === key.asymmetricKeyDetails?.namedCurve);
    if (!curve || !decodePoint(curve, inner.value)) return fail(SW.WRONG_DATA);
    const terminal = createPublicKey({ key: Buffer.from(ecSpki(curve, inner.value)), format: 'der', type: 'spki' });
    const secret = new Uint8Array(diffieHellman({ privateKey: key, publicKey: terminal }));
    if (o.chipAuthFault === 'wrong-key') secret[0] ^= 0x01;
    return { data: encodeDo(0x7c, EMPTY), sw: SW.OK, nextSession: newSession(secret, suiteOf(protocol, ID_CA_ECDH) ?? { cipher: 'aes', keyLength: 16 }) };
  }
}

const CURVE_OIDS: { [name: string]: string } = { brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7', prime256v1: '1.2.840.10045.3.1.7' };

/** SubjectPublicKeyInfo of an EC point on a named curve (RFC 5480), for node:crypto. */
export function ecSpki(curve: Curve, point: Uint8Array): Uint8Array {
  return seq(seq(oid('1.2.840.10045.2.1'), oid(CURVE_OIDS[curve.name])), bitString(point));
}
