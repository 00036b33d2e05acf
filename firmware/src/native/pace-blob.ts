// The PACE blob (native/pace/ABI.md): Storage file `pace`, magic EPP1, run in place through
// E.nativeCall like the core blob (blob.ts). A board that stores no `pace` file (the Pico) runs
// the TypeScript references of native-aes.ts and native-ec.ts instead.

import { addressOf, type NativeFn } from './blob';

/** Entry indices (pace/ABI.md "Entries"). */
export const P_AES_SETKEY = 0;
export const P_AES_ECB = 1;
export const P_AES_CBC = 2;
export const P_CMAC_INIT = 3;
export const P_CMAC_UPDATE = 4;
export const P_CMAC_FINAL = 5;
export const P_EC_MUL = 10;
export const P_EC_ADD = 11;
export const P_EC_CHECK = 12;

const ENTRY_COUNT = 13;

let entries: NativeFn[] | null = null;
let probed = false;

function u32(s: string, o: number): number {
  return (s.charCodeAt(o) | (s.charCodeAt(o + 1) << 8) | (s.charCodeAt(o + 2) << 16) | (s.charCodeAt(o + 3) << 24)) >>> 0;
}

/** The PACE entries, or null when the blob cannot run here. Probed once per boot. */
export function paceEntries(): NativeFn[] | null {
  if (probed) return entries;
  probed = true;
  if (typeof E === 'undefined' || typeof E.nativeCall !== 'function' || typeof espruinoModule !== 'function') return null;
  let blob: string | undefined;
  try {
    blob = espruinoModule('Storage').read('pace');
  } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
    return null;
  }
  if (!blob || blob.length < 16 + 4 * ENTRY_COUNT || blob.substr(0, 4) !== 'EPP1') return null;
  if (u32(blob, 4) !== 1 || u32(blob, 8) > blob.length) return null;
  const at = addressOf(blob);
  if (!at || (at & 3)) return null;
  const fns: NativeFn[] = [];
  for (let i = 0; i < ENTRY_COUNT; i++) fns.push(E.nativeCall((16 + 4 * i) | 1, 'int(int,int,int,int)', blob) as NativeFn);
  entries = fns;
  return fns;
}
