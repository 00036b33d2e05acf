// Passive authentication of what the host received, done independently of the SDK: OpenSSL
// verifies EF.SOD's CMS signature and the Document Signer's chain to the CSCA, node:crypto hashes
// every data group against the LDS Security Object that OpenSSL hands back. So an e2e test does
// not only trust the SDK's own report.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Tlv {
  tag: number;
  value: Buffer;
  end: number;
}

/** One DER TLV at `offset` (single-byte tags are all this needs). */
function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset];
  let i = offset + 1;
  let length = der[i++];
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3) throw new Error('unsupported DER length at ' + offset);
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + der[i++];
  }
  if (i + length > der.length) throw new Error('DER value past the end at ' + offset);
  return { tag, value: der.subarray(i, i + length), end: i + length };
}

function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let i = 0; i < value.length; ) {
    const t = readTlv(value, i);
    out.push(t);
    i = t.end;
  }
  return out;
}

function oid(value: Buffer): string {
  const parts = [Math.floor(value[0] / 40), value[0] % 40];
  let n = 0;
  for (let i = 1; i < value.length; i++) {
    n = n * 128 + (value[i] & 0x7f);
    if (!(value[i] & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export interface IndependentCheck {
  /** OpenSSL's verdict on the CMS signature and the chain to the CSCA. */
  signatureAndChain: 'verified';
  hashAlgorithm: string;
  /** Data group → whether its hash in EF.SOD matches the bytes received. */
  groups: Map<number, boolean>;
}

/** Verifies EF.SOD (as read: the 0x77 wrapper included) with OpenSSL against `cscaPem`, then
 * the received data groups against its hashes. Throws when OpenSSL refuses the signature. */
export function independentPassiveAuthentication(efSod: Uint8Array, dataGroups: Map<number, Uint8Array>, cscaPem: string): IndependentCheck {
  const sod = readTlv(Buffer.from(efSod), 0);
  if (sod.tag !== 0x77) throw new Error('EF.SOD does not start with tag 77');
  const dir = mkdtempSync(join(tmpdir(), 'e2e-sod-'));
  let lds: Buffer;
  try {
    writeFileSync(join(dir, 'sod.der'), sod.value);
    // -purpose any: a Document Signer certificate has no S/MIME extended key usage.
    lds = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', join(dir, 'sod.der'), '-CAfile', cscaPem, '-purpose', 'any', '-binary'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm AlgorithmIdentifier, dataGroupHashValues SEQUENCE OF DataGroupHash }
  const [, algorithm, hashes] = children(readTlv(lds, 0).value);
  const hashName = HASHES[oid(children(algorithm.value)[0].value)];
  if (!hashName) throw new Error('unknown hash algorithm in the LDS Security Object');
  const groups = new Map<number, boolean>();
  for (const entry of children(hashes.value)) {
    const [number, hash] = children(entry.value);
    const dg = number.value[0];
    const bytes = dataGroups.get(dg);
    if (bytes) groups.set(dg, createHash(hashName).update(bytes).digest().equals(hash.value));
  }
  return { signatureAndChain: 'verified', hashAlgorithm: hashName, groups };
}
