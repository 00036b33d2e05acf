// `openssl cms -verify` as an independent verifier for tests (Debian's openssl binary).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from './pki';

export interface CmsVerification {
  ok: boolean;
  /** The verified eContent (empty when verification failed). */
  content: Uint8Array;
  /** openssl's diagnostics. */
  message: string;
}

/** Verifies a DER ContentInfo SignedData against trusted CA certificates (DER). */
export function opensslVerifyCms(contentInfo: Uint8Array, trusted: Uint8Array[], extraArgs: string[] = []): CmsVerification {
  const dir = mkdtempSync(join(tmpdir(), 'cms-'));
  try {
    writeFileSync(join(dir, 'in.der'), contentInfo);
    writeFileSync(join(dir, 'ca.pem'), trusted.map((c) => toPem(c)).join(''));
    const r = spawnSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', join(dir, 'in.der'), '-CAfile', join(dir, 'ca.pem'),
      '-purpose', 'any', '-binary', '-out', join(dir, 'out.bin'), ...extraArgs], { encoding: 'utf8' });
    const ok = r.status === 0;
    return { ok, content: ok ? new Uint8Array(readFileSync(join(dir, 'out.bin'))) : new Uint8Array(0), message: (r.stderr ?? '') + (r.stdout ?? '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
