// Structure-aware fuzzing of BER-TLV / DER: generators of valid TLV trees, and mutations that
// target the structure (length fields rewritten in every long form, indefinite length, tags,
// truncation, splices, bit flips), plus deep nesting. Shared by the device and host parser
// fuzzers (*.fuzz.test.ts) and the hostile-chip fuzzer; pure functions over Uint8Array.

import fc from 'fast-check';

/** One TLV header found in a buffer: where its tag starts, where its length field starts and
 * how many bytes it takes, and the value length it declares. */
export interface TlvHeader {
  at: number;
  lengthAt: number;
  lengthBytes: number;
  valueLength: number;
  constructed: boolean;
}

/**
 * Every TLV header of a BER buffer, depth first, recursing into constructed values. Tolerant:
 * stops a level at the first thing that does not parse (so it also works on mutated bytes).
 */
export function tlvHeaders(buf: Uint8Array, from = 0, to = buf.length, out: TlvHeader[] = [], depth = 0): TlvHeader[] {
  let p = from;
  while (p < to && depth < 64 && out.length < 4096) {
    const at = p;
    const first = buf[p++];
    if ((first & 0x1f) === 0x1f) {
      let n = 0;
      while (p < to && buf[p] & 0x80 && n < 4) {
        p++;
        n++;
      }
      p++;
    }
    if (p >= to) return out;
    const lengthAt = p;
    let len = buf[p++];
    let lengthBytes = 1;
    if (len === 0x80) {
      out.push({ at, lengthAt, lengthBytes: 1, valueLength: -1, constructed: (first & 0x20) !== 0 });
      return out;
    }
    if (len > 0x80) {
      const k = len & 0x7f;
      if (k > 4 || p + k > to) return out;
      len = 0;
      for (let i = 0; i < k; i++) len = len * 256 + buf[p++];
      lengthBytes = 1 + k;
    }
    if (p + len > to) return out;
    const constructed = (first & 0x20) !== 0;
    out.push({ at, lengthAt, lengthBytes, valueLength: len, constructed });
    if (constructed) tlvHeaders(buf, p, p + len, out, depth + 1);
    p += len;
  }
  return out;
}

/** Length field of `n`: the shortest form (DER), or a long form of at least `longBytes` bytes. */
export function lengthField(n: number, longBytes = 0): number[] {
  if (longBytes === 0 && n < 0x80) return [n];
  const needed = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
  if (longBytes < needed) longBytes = needed;
  const out = [0x80 + longBytes];
  for (let i = longBytes - 1; i >= 0; i--) out.push(Math.floor(n / 256 ** i) & 0xff);
  return out;
}

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A TLV with a definite length in the shortest form (or the given long form). */
export function tlv(tag: number, value: Uint8Array | number[], longBytes = 0): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) tagBytes.unshift(t & 0xff);
  return concat(tagBytes.length ? tagBytes : [0], lengthField(value.length, longBytes), value);
}

export type BerNode = { tag: number; value: Uint8Array } | { tag: number; children: BerNode[] };

/** Encodes a tree; `longForms` (cycled) picks the length form per node: 0 shortest, 1..4 long. */
export function encodeTree(node: BerNode, longForms: number[] = [0], counter = { i: 0 }): Uint8Array {
  const form = longForms[counter.i++ % longForms.length] ?? 0;
  if ('value' in node) return tlv(node.tag, node.value, form);
  return tlv(node.tag, concat(...node.children.map((c) => encodeTree(c, longForms, counter))), form);
}

const PRIMITIVE_TAGS = [0x02, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x80, 0x5c, 0x8e, 0x99, 0x87, 0x5f01, 0x5f1f, 0x5f36, 0x5f2e];
const CONSTRUCTED_TAGS = [0x30, 0x31, 0x60, 0x61, 0x75, 0x77, 0xa0, 0xa1, 0x24, 0x7f61, 0x7f60, 0x7f2e];

/** Random valid TLV trees (depth at most `maxDepth`), with `extraTags` mixed in. */
export function arbBerTree(extraTags: number[] = [], maxDepth = 5): fc.Arbitrary<BerNode> {
  const { node } = fc.letrec<{ node: BerNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth },
      fc.record({ tag: fc.constantFrom(...PRIMITIVE_TAGS, ...extraTags), value: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({ tag: fc.constantFrom(...CONSTRUCTED_TAGS, ...extraTags), children: fc.array(tie('node'), { maxLength: 5 }) }),
    ),
  }));
  return node;
}

/** `depth` levels of `tag` around `inner`: definite lengths (correct), indefinite (80) or all
 * declaring 4 GB (84 FFFFFFFF). */
export function deepNesting(depth: number, form: 'definite' | 'indefinite' | 'inflated', tag = 0x30, inner: Uint8Array = new Uint8Array([0x05, 0x00])): Uint8Array {
  if (form !== 'definite') {
    const head = form === 'indefinite' ? [tag, 0x80] : [tag, 0x84, 0xff, 0xff, 0xff, 0xff];
    const out = new Uint8Array(depth * head.length + inner.length + (form === 'indefinite' ? depth * 2 : 0));
    for (let i = 0; i < depth; i++) out.set(head, i * head.length);
    out.set(inner, depth * head.length);
    return out; // end-of-contents octets (00 00) follow as zeros
  }
  // Inside out, without quadratic copying: sizes first, then one buffer.
  const sizes: number[] = new Array(depth + 1);
  sizes[depth] = inner.length;
  for (let i = depth - 1; i >= 0; i--) sizes[i] = 1 + lengthField(sizes[i + 1]).length + sizes[i + 1];
  const out = new Uint8Array(sizes[0]);
  let p = 0;
  for (let i = 0; i < depth; i++) {
    out[p++] = tag;
    for (const b of lengthField(sizes[i + 1])) out[p++] = b;
  }
  out.set(inner, p);
  return out;
}

/** How a length field is rewritten. */
export type LengthForm =
  | { kind: 'indefinite' }
  | { kind: 'long'; bytes: 1 | 2 | 3 | 4; value: number }
  | { kind: 'huge' } // 84 FFFFFFFF
  | { kind: 'length-of-length'; k: number } // 85..FF: more than four length bytes
  | { kind: 'delta'; delta: number } // the true length plus or minus a little
  | { kind: 'non-minimal' }; // same value in a longer form (legal BER, not DER)

export type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; value: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'delete'; pos: number; count: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'duplicate'; pos: number; count: number }
  | { kind: 'length'; header: number; form: LengthForm }
  | { kind: 'tag'; header: number; tag: number }
  | { kind: 'nest'; header: number; depth: number; form: 'definite' | 'indefinite' | 'inflated' };

const arbLengthForm: fc.Arbitrary<LengthForm> = fc.oneof(
  fc.constant({ kind: 'indefinite' as const }),
  fc.record({ kind: fc.constant('long' as const), bytes: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const), value: fc.nat() }),
  fc.constant({ kind: 'huge' as const }),
  fc.record({ kind: fc.constant('length-of-length' as const), k: fc.integer({ min: 5, max: 127 }) }),
  fc.record({ kind: fc.constant('delta' as const), delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0) }),
  fc.constant({ kind: 'non-minimal' as const }),
);

/** One mutation; positions and header indexes are taken modulo the buffer when applied. */
export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), value: fc.constantFrom(0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), pos: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pos: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('length' as const), header: fc.nat(), form: arbLengthForm }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tag' as const), header: fc.nat(), tag: fc.constantFrom(0x00, 0x02, 0x04, 0x06, 0x1f, 0x24, 0x30, 0x31, 0x5f, 0x7f, 0x80, 0xa0, 0xff) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), header: fc.nat(), depth: fc.integer({ min: 1, max: 3000 }), form: fc.constantFrom('definite' as const, 'indefinite' as const, 'inflated' as const) }) },
);

export const arbMutations: fc.Arbitrary<Mutation[]> = fc.array(arbMutation, { minLength: 1, maxLength: 4 });

function rewriteLength(buf: Uint8Array, h: TlvHeader, form: LengthForm): Uint8Array {
  let field: number[];
  switch (form.kind) {
    case 'indefinite': field = [0x80]; break;
    case 'long': field = lengthField(form.value % 256 ** form.bytes, form.bytes); break; // any value, exact width
    case 'huge': field = [0x84, 0xff, 0xff, 0xff, 0xff]; break;
    case 'length-of-length': field = [0x80 + form.k, 0xff, 0xff, 0xff, 0xff, 0xff]; break;
    case 'delta': field = lengthField(Math.max(0, h.valueLength + form.delta)); break;
    case 'non-minimal': field = lengthField(Math.max(0, h.valueLength), 4); break;
  }
  return concat(buf.subarray(0, h.lengthAt), field, buf.subarray(h.lengthAt + h.lengthBytes));
}

/** Applies one mutation to a copy of `buf`. */
export function mutate(buf: Uint8Array, m: Mutation): Uint8Array {
  const n = buf.length;
  if (n === 0) return m.kind === 'insert' ? m.bytes.slice() : buf.slice();
  const pos = 'pos' in m ? m.pos % n : 0;
  switch (m.kind) {
    case 'flip': {
      const out = buf.slice();
      out[pos] ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      const out = buf.slice();
      out[pos] = m.value;
      return out;
    }
    case 'truncate': return buf.slice(0, pos);
    case 'delete': return concat(buf.subarray(0, pos), buf.subarray(pos + m.count));
    case 'insert': return concat(buf.subarray(0, pos), m.bytes, buf.subarray(pos));
    case 'duplicate': return concat(buf.subarray(0, pos + m.count), buf.subarray(pos));
  }
  const headers = tlvHeaders(buf);
  if (headers.length === 0) return buf.slice();
  const h = headers[m.header % headers.length];
  if (m.kind === 'length') return rewriteLength(buf, h, m.form);
  if (m.kind === 'tag') {
    const out = buf.slice();
    out[h.at] = m.tag;
    return out;
  }
  // nest: wrap the element in `depth` levels (the parents' lengths are not fixed up).
  const end = h.valueLength < 0 ? n : Math.min(n, h.lengthAt + h.lengthBytes + h.valueLength);
  return concat(buf.subarray(0, h.at), deepNesting(m.depth, m.form, 0x30, buf.subarray(h.at, end)), buf.subarray(end));
}

export function mutateAll(buf: Uint8Array, ms: Mutation[]): Uint8Array {
  let out = buf;
  for (const m of ms) out = mutate(out, m);
  return out;
}

/** A description for failure messages (no content: fixtures may hold personal data). */
export function describeMutations(ms: Mutation[]): string {
  return ms.map((m) => m.kind + ('form' in m ? ':' + (typeof m.form === 'string' ? m.form : m.form.kind) : '')).join(',');
}

/**
 * Hostile variants of valid inputs: the valid input itself, mutated, replaced by random bytes,
 * or wrapped in deep nesting. `valid` gives the structures to start from.
 */
export function arbHostile(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 1, arbitrary: valid },
    { weight: 8, arbitrary: fc.tuple(valid, arbMutations).map(([v, ms]) => mutateAll(v, ms)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 100, max: 20000 }), fc.constantFrom('definite' as const, 'indefinite' as const, 'inflated' as const), fc.constantFrom(0x30, 0x77, 0x60, 0x61, 0xa0, 0x24))
        .map(([d, f, t]) => deepNesting(d, f, t)),
    },
  );
}
