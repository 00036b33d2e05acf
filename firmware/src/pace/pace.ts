// PACE with ECDH Generic Mapping (9303-11 §4.4; JMRTD's PACEProtocol), on the plain channel with
// the master file selected:
//   MSE:Set AT (protocol OID, password MRZ, [domain parameters])
//   GA 1: encrypted nonce z;  s = AES-D(K_pi, z), K_pi = KDF(SHA-1(MRZ information), 3)
//   GA 2: mapping keys; H = SK_map_IFD * PK_map_IC; G' = s*G + H
//   GA 3: ephemeral keys on G'; PK_DH_IC != PK_DH_IFD; K = x(SK_DH_IFD * PK_DH_IC)
//   GA 4: tokens T = CMAC-8(KSmac, 7F49{06 OID, 86 other side's key}); the chip's is checked
//         before its keys are trusted; then AES secure messaging with SSC 0.
// Private scalars come from the injected random source; all secrets are wiped on every path.

import { equalBytes } from '../crypto/retail-mac';
import type { ApduChannel } from '../icao/apdu-channel';
import { IcaoError, SW, asIcaoError, statusWord } from '../icao/errors';
import { newTlv } from '../icao/tlv';
import { AesSecureMessagingChannel } from './aes-secure-messaging';
import type { PaceChoice } from './card-access';
import { authenticationData, generalAuthenticateApdu, mseSetAtApdu, publicKeyObject } from './general-authenticate';
import { deriveAesKey, randomScalar, type PaceCrypto } from './pace-crypto';

export type PaceCallback = (err: IcaoError | null, sm: AesSecureMessagingChannel | null) => void;

/** Password reference of MSE:Set AT: the MRZ (9303-11 §9.4.1). */
const PASSWORD_MRZ = 1;

function wipeAll(list: Array<Uint8Array | null>): void {
  for (let i = 0; i < list.length; i++) if (list[i]) list[i]!.fill(0);
}

export class Pace {
  private _channel: ApduChannel;
  private _crypto: PaceCrypto;
  private _choice: PaceChoice;
  private _curve: number;
  private _pointLength: number;
  /** Secrets of the run in progress (wiped by _done). */
  private _secrets: Array<Uint8Array | null>;
  private _callback: PaceCallback | null;

  constructor(channel: ApduChannel, crypto: PaceCrypto, choice: PaceChoice) {
    this._channel = channel;
    this._crypto = crypto;
    this._choice = choice;
    this._curve = choice.parameterId;
    this._pointLength = 1 + 2 * crypto.ec.fieldBytes(choice.parameterId);
    this._secrets = [];
    this._callback = null;
  }

  /** Runs PACE with `password` = SHA-1(MRZ information) (20 bytes; not modified). The callback
   * gets the AES secure-messaging channel or an IcaoError: 'unsupported' when the chip refuses
   * MSE:Set AT (use BAC), 'access-denied' for a refused password, 'sm-failure' when the chip's
   * token or points do not verify, 'malformed-data' for answers that do not parse. */
  authenticate(password: Uint8Array, callback: PaceCallback): void {
    this._callback = callback;
    if (this._pointLength < 3) {
      this._done(new IcaoError('unsupported', 'curve'), null);
      return;
    }
    const c = this._choice;
    this._send(mseSetAtApdu(0xc1, c.oid, PASSWORD_MRZ, c.sendParameterId ? c.parameterId : -1), (response) => {
      const sw = statusWord(response);
      // Any refusal of the protocol or its parameters: the caller falls back to BAC.
      if (sw !== SW.OK) throw new IcaoError('unsupported', 'MSE:Set AT refused', sw);
      this._send(generalAuthenticateApdu(false, 0, null), (r) => this._nonce(password, r));
    });
  }

  /** GA 1 answered: decrypts the nonce, sends the mapping key. */
  private _nonce(password: Uint8Array, response: Uint8Array): void {
    const t = authenticationData(response, 0x80, 16, 'GA nonce', newTlv());
    const kPi = deriveAesKey(password, 3, this._choice.keyLength);
    const s = new Uint8Array(this._pointLength >> 1); // left-padded to the field size
    const z = new Uint8Array(response.subarray(t.valueOffset, t.end));
    this._secrets.push(kPi, s);
    const aes = this._crypto.aes(kPi);
    aes.decryptBlock(z, z); // one block: CBC with a zero IV is ECB
    aes.wipe();
    s.set(z, s.length - 16);
    z.fill(0);
    const skMap = randomScalar(this._crypto, this._curve);
    const pkMap = new Uint8Array(this._pointLength);
    this._secrets.push(skMap);
    if (!this._crypto.ec.multiplyBase(this._curve, skMap, pkMap)) throw new IcaoError('internal', 'EC');
    this._send(generalAuthenticateApdu(false, 0x81, pkMap), (r) => this._map(s, skMap, pkMap, r));
  }

  /** GA 2 answered: G' = s*G + SK_map_IFD * PK_map_IC; sends the ephemeral key on G'. */
  private _map(s: Uint8Array, skMap: Uint8Array, pkMapIfd: Uint8Array, response: Uint8Array): void {
    const n = this._pointLength;
    const t = authenticationData(response, 0x82, n, 'GA mapping', newTlv());
    const pkMapIc = response.subarray(t.valueOffset, t.end);
    if (pkMapIc[0] !== 4 || equalBytes(pkMapIc, 0, pkMapIfd, 0, n)) throw new IcaoError('sm-failure', 'mapping key');
    const ec = this._crypto.ec;
    const h = new Uint8Array(n);
    const g = new Uint8Array(n);
    this._secrets.push(h, g);
    if (!ec.multiply(this._curve, skMap, pkMapIc, h)) throw new IcaoError('sm-failure', 'mapping key not on the curve');
    if (!ec.multiplyBase(this._curve, s, g) || !ec.add(this._curve, g, h, g)) throw new IcaoError('sm-failure', 'mapped generator');
    wipeAll([skMap, s, h]);
    const skDh = randomScalar(this._crypto, this._curve);
    const pkDh = new Uint8Array(n);
    this._secrets.push(skDh);
    if (!ec.multiply(this._curve, skDh, g, pkDh)) throw new IcaoError('internal', 'EC');
    g.fill(0);
    this._send(generalAuthenticateApdu(false, 0x83, pkDh), (r) => this._agree(skDh, pkDh, r));
  }

  /** GA 3 answered: K, the session keys, and our token. */
  private _agree(skDh: Uint8Array, pkDhIfd: Uint8Array, response: Uint8Array): void {
    const n = this._pointLength;
    const t = authenticationData(response, 0x84, n, 'GA key agreement', newTlv());
    const pkDhIc = new Uint8Array(response.subarray(t.valueOffset, t.end));
    if (pkDhIc[0] !== 4 || equalBytes(pkDhIc, 0, pkDhIfd, 0, n)) throw new IcaoError('sm-failure', 'chip key equals ours');
    const shared = new Uint8Array(n);
    this._secrets.push(shared);
    if (!this._crypto.ec.multiply(this._curve, skDh, pkDhIc, shared)) throw new IcaoError('sm-failure', 'chip key not on the curve');
    skDh.fill(0);
    const k = shared.subarray(1, 1 + (n >> 1));
    const kl = this._choice.keyLength;
    const ksEnc = deriveAesKey(k, 1, kl);
    const ksMac = deriveAesKey(k, 2, kl);
    shared.fill(0);
    this._secrets.push(ksEnc, ksMac);
    const mac = this._crypto.cmac(ksMac);
    mac.update(publicKeyObject(this._choice.oid, pkDhIc));
    const tokenIfd = mac.final8();
    const expected = new Uint8Array(8);
    mac.update(publicKeyObject(this._choice.oid, pkDhIfd));
    mac.final8(expected, 0);
    mac.wipe();
    this._send(generalAuthenticateApdu(true, 0x85, tokenIfd), (r) => {
      const tk = authenticationData(r, 0x86, 8, 'GA token', newTlv());
      if (!equalBytes(expected, 0, r, tk.valueOffset, 8)) throw new IcaoError('sm-failure', 'chip token does not verify');
      this._done(null, new AesSecureMessagingChannel(this._channel, this._crypto, ksEnc, ksMac));
    });
  }

  /** Sends `apdu`; `next` gets the response; anything it throws ends the run. */
  private _send(apdu: Uint8Array, next: (response: Uint8Array) => void): void {
    this._channel.transceive(apdu, (err, response) => {
      if (!this._callback) return;
      if (err || !response) {
        this._done(err || new IcaoError('card-error', 'no response'), null);
        return;
      }
      try {
        next(response);
      } catch (e) {
        this._done(asIcaoError(e), null);
      }
    });
  }

  private _done(err: IcaoError | null, sm: AesSecureMessagingChannel | null): void {
    wipeAll(this._secrets);
    this._secrets = [];
    const cb = this._callback;
    this._callback = null;
    if (cb) cb(err, sm);
  }
}
