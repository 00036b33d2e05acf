// Device bundles: properties that are written and never read go, with their writes. The host's
// diagnostics that no device code reads (ReliableLink's frame counters, the frame decoder's
// damage counts, once drop-unused took their getters): `this.stats.sent++` in a sequence, a
// `stats: {sent: 0, ...}` key, then the emptied `this.stats = {}`. Runs after drop-unused,
// before arrow-functions and pool-constants; drop-unused runs again after it.
//
// A name goes only if the bundler shortened it (not `reserved`: no engine or outside code knows
// it), it is spelled nowhere as a read (`o.p` used for its value, a method or getter key, a
// string), and every write's value is unused and made of reads and literals (`o.p++`,
// `o.p += 1`, `o.p = {a: 0}`). Bundles that enumerate objects (for-in, spread, Object, JSON,
// Reflect) are left alone. Assumes, as the firmware's code does, that reading a plain field
// never throws: a write through a missing object would have thrown before and is gone now.

import { parse } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import { bundleFunction, type Node } from './bundle-ast';

type Edit = { start: number; end: number; text: string };

/** Whether evaluating `n` can have an effect (getters: the bundle's getter names). */
function effectFree(n: Node | null | undefined, getters: Set<string>): boolean {
  if (!n) return true;
  const free = (x: unknown) => effectFree(x as Node, getters);
  switch (n.type) {
    case 'Literal':
    case 'Identifier':
    case 'ThisExpression':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return true;
    case 'MemberExpression':
      return !n.computed && !getters.has((n.property as Node).name as string) && free(n.object);
    case 'UnaryExpression':
      return n.operator !== 'delete' && free(n.argument);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return n.operator !== 'in' && n.operator !== 'instanceof' && free(n.left) && free(n.right);
    case 'ConditionalExpression':
      return free(n.test) && free(n.consequent) && free(n.alternate);
    case 'ArrayExpression':
      return (n.elements as Array<Node | null>).every((e) => !e || (e.type !== 'SpreadElement' && free(e)));
    case 'ObjectExpression':
      return (n.properties as Node[]).every((p) => p.type === 'Property' && !p.computed && free(p.value));
    default:
      return false;
  }
}

/** Whether the value of `ancestors`' last node is thrown away. */
function valueUnused(ancestors: Node[], at = ancestors.length - 1): boolean {
  const node = ancestors[at];
  const parent = ancestors[at - 1];
  if (!parent) return false;
  switch (parent.type) {
    case 'ExpressionStatement':
      return true;
    case 'SequenceExpression': {
      const list = parent.expressions as Node[];
      return list[list.length - 1] !== node || valueUnused(ancestors, at - 1);
    }
    case 'ConditionalExpression':
      return parent.test !== node && valueUnused(ancestors, at - 1);
    case 'LogicalExpression':
      return parent.right === node && valueUnused(ancestors, at - 1);
    case 'ForStatement':
      return parent.update === node;
    default:
      return false;
  }
}

/** Statement lists, where a statement may go without a trace. */
const LISTS = new Set(['BlockStatement', 'Program', 'SwitchCase', 'StaticBlock']);

/** The edit that removes an unused expression `n` (its parent: `parent`, then `grand`). */
function removal(source: string, n: Node, parent: Node, grand?: Node): Edit {
  if (parent.type === 'SequenceExpression') {
    const list = parent.expressions as Node[];
    const i = list.indexOf(n);
    // With the comma after it, or (the last one) the comma before it.
    return i < list.length - 1 ? { start: n.start, end: list[i + 1].start, text: '' } : { start: list[i - 1].end, end: n.end, text: '' };
  }
  if (parent.type === 'ExpressionStatement') return { start: parent.start, end: parent.end, text: grand && LISTS.has(grand.type) ? '' : ';' };
  return { start: n.start, end: n.end, text: '0' };
}

/** One round: the text with one removal per name and expression, or null if none. */
function roundOnce(source: string, reserved: RegExp): string | null {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  let enumerates = false;
  const getters = new Set<string>();
  full(ast as never, ((n: Node) => {
    if (n.type === 'ForInStatement' || n.type === 'SpreadElement' || n.type === 'RestElement') enumerates = true;
    if (n.type === 'Identifier' && (n.name === 'Object' || n.name === 'JSON' || n.name === 'Reflect')) enumerates = true;
    if (n.type === 'MethodDefinition' && n.kind !== 'method') getters.add((n.key as Node).name as string);
  }) as never);
  if (enumerates) return null;
  const read = new Set<string>();
  // The exports (the top function's returned object) are read by whoever loads the bundle.
  const body = (bundleFunction(ast, 'write-only').body as Node).body as Node[];
  const last = body[body.length - 1];
  const exported = last && last.type === 'ReturnStatement' && (last.argument as Node | null)?.type === 'ObjectExpression' ? (last.argument as Node).properties as Node[] : [];
  for (const p of exported) if (p.key && (p.key as Node).type === 'Identifier') read.add((p.key as Node).name as string);
  const writes = new Map<string, Edit[]>();
  const write = (name: string, e: Edit) => writes.set(name, [...(writes.get(name) ?? []), e]);
  const unusedExpressions: Edit[] = [];
  ancestor(ast as never, {
    Literal(n: Node) {
      if (typeof n.value === 'string') read.add(n.value);
    },
    MethodDefinition(n: Node) {
      read.add((n.key as Node).name as string);
    },
    Property(n: Node, _s: unknown, anc: Node[]) {
      const key = n.key as Node;
      if (n.computed || key.type !== 'Identifier') return;
      const obj = anc[anc.length - 2];
      const list = obj.properties as Node[];
      const i = list.indexOf(n);
      if (n.kind !== 'init' || n.method || n.shorthand || !effectFree(n.value as Node, getters)) read.add(key.name as string);
      else write(key.name as string, i < list.length - 1 ? { start: n.start, end: list[i + 1].start, text: '' } : { start: i ? list[i - 1].end : n.start, end: n.end, text: '' });
    },
    MemberExpression(n: Node, _s: unknown, anc: Node[]) {
      if (n.computed) return;
      const name = (n.property as Node).name as string;
      const parent = anc[anc.length - 2];
      const w = parent.type === 'UpdateExpression' ? parent
        : parent.type === 'AssignmentExpression' && parent.left === n && effectFree(parent.right as Node, getters) ? parent : null;
      if (!w || !effectFree(n.object as Node, getters) || !valueUnused(anc.slice(0, -1))) read.add(name);
      else write(name, removal(source, w, anc[anc.length - 3], anc[anc.length - 4]));
    },
    // What a removal left: `c ? 0 : 0` in a sequence or statement, a bare `0`.
    ConditionalExpression(n: Node, _s: unknown, anc: Node[]) {
      const c = n.consequent as Node;
      const a = n.alternate as Node;
      if (c.type === 'Literal' && a.type === 'Literal' && effectFree(n.test as Node, getters) && valueUnused(anc)) {
        unusedExpressions.push(removal(source, n, anc[anc.length - 2], anc[anc.length - 3]));
      }
    },
  } as never);
  const edits: Edit[] = [...unusedExpressions];
  for (const [name, list] of writes) if (!read.has(name) && !reserved.test(name)) edits.push(...list);
  // Overlapping edits (two neighbours in one sequence) wait for the next round.
  const chosen: Edit[] = [];
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    if (!chosen.some((c) => e.start < c.end && c.start < e.end)) chosen.push(e);
  }
  if (!chosen.length) return null;
  let out = source;
  for (const e of chosen.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** `source` without the properties it only writes (`reserved`: the names the bundler kept). */
export function dropWriteOnly(source: string, reserved: RegExp): string {
  let out = source;
  for (let next = roundOnce(out, reserved); next !== null; next = roundOnce(out, reserved)) out = next;
  return out;
}
