// Device bundles: a constant table of numbers (`var C={HELLO:1,READ:2,...}`: the protocol's MSG,
// CAP and FILE) read only as `C.KEY` becomes those numbers. esbuild inlines const enums but not
// the members of an exported object; ALL_CAPS keys keep their spelling (mangle-reserve.ts), so
// `C.HELLO_REPLY` was 13 stored bytes where `129` is 2, and the table itself went to flash and
// RAM. The declaration is left to drop-unused.ts. Runs after strip-prose, before drop-unused.
//
// Conservative: the table must be declared once, in the bundle's top function, as an object of
// plain keys with integer values; every other occurrence of its name anywhere in the program must
// be `C.KEY` with KEY one of its keys and not written (`C.KEY=`, `C.KEY++`). A local of the same
// spelling, a computed `C[k]`, or the name passed on keeps the table as it is.

import { parse } from 'acorn';
import { ancestor } from 'acorn-walk';
import { bundleFunction, type Node } from './bundle-ast';

/** The integer table `init` describes, or null. */
function integerTable(init: Node | null | undefined): Map<string, number> | null {
  if (!init || init.type !== 'ObjectExpression') return null;
  const table = new Map<string, number>();
  for (const p of init.properties as Node[]) {
    if (p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method || p.shorthand) return null;
    const key = p.key as Node;
    const value = p.value as Node;
    const name = key.type === 'Identifier' ? (key.name as string) : typeof key.value === 'string' ? key.value : null;
    if (name === null || value.type !== 'Literal' || !Number.isInteger(value.value) || (value.value as number) < 0) return null;
    table.set(name, value.value as number);
  }
  return table.size ? table : null;
}

/** Stored bytes of an integer literal, pretokenised (pretokenise.ts: raw ints 0, 8 and 16 bit). */
function literalBytes(v: number): number {
  return v === 0 ? 1 : v < 128 ? 2 : v < 32768 ? 3 : String(v).length;
}

/** An Identifier that is a name in the program rather than a property or key spelling. */
function isReference(n: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && parent.property === n && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.key === n && !parent.computed && !parent.shorthand) return false;
  return true;
}

/** `source` (exportsAsGlobal's `var X=(function(){...})()`) with its integer tables inlined. */
export function inlineConstants(source: string): string {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const top = bundleFunction(ast, 'inline-constants');
  const tables = new Map<string, { table: Map<string, number>; id: Node }>();
  const declaredTwice = new Set<string>();
  for (const st of (top.body as Node).body as Node[]) {
    if (st.type !== 'VariableDeclaration') continue;
    for (const d of st.declarations as Node[]) {
      const id = d.id as Node;
      const table = integerTable(d.init as Node);
      if (id.type !== 'Identifier' || !table) continue;
      if (tables.has(id.name as string)) declaredTwice.add(id.name as string);
      tables.set(id.name as string, { table, id });
    }
  }
  for (const n of declaredTwice) tables.delete(n);
  // Integer constants (`var K=264`): each read becomes the number where that stores fewer bytes
  // (its declaration, name=value plus a comma, goes; each read costs the literal, not the name).
  const scalars = new Map<string, { value: number; id: Node; reads: Node[] }>();
  for (const st of (top.body as Node).body as Node[]) {
    if (st.type !== 'VariableDeclaration') continue;
    for (const d of st.declarations as Node[]) {
      const id = d.id as Node;
      const v = (d.init as Node | null)?.type === 'Literal' ? (d.init as Node).value : null;
      if (id.type !== 'Identifier' || typeof v !== 'number' || !Number.isInteger(v) || v < 0) continue;
      if (scalars.has(id.name as string) || tables.has(id.name as string)) declaredTwice.add(id.name as string);
      scalars.set(id.name as string, { value: v, id, reads: [] });
    }
  }
  for (const n of declaredTwice) {
    tables.delete(n);
    scalars.delete(n);
  }
  const uses = new Map<string, Node[]>();
  const refused = new Set<string>();
  ancestor(ast as never, {
    // A binding of the same spelling (a local, a parameter, a function or class name).
    VariablePattern(n: Node) {
      const t = tables.get(n.name as string) ?? scalars.get(n.name as string);
      if (t && n !== t.id) refused.add(n.name as string);
    },
    Identifier(n: Node, _state: unknown, ancestors: Node[]) {
      const name = n.name as string;
      const sc = scalars.get(name);
      if (sc && n !== sc.id) {
        const parent = ancestors[ancestors.length - 2];
        if (!isReference(n, parent)) return;
        // Read as a plain value only: not written, not `K.x` (a number there needs brackets), not `{K}`.
        const written = parent && (((parent.type === 'AssignmentExpression' || parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === n) || parent.type === 'UpdateExpression');
        const member = parent?.type === 'MemberExpression' && parent.object === n;
        if (written || member || (parent?.type === 'Property' && parent.shorthand)) refused.add(name);
        else sc.reads.push(n);
        return;
      }
      const t = tables.get(name);
      if (!t || n === t.id) return;
      const parent = ancestors[ancestors.length - 2];
      if (!isReference(n, parent)) return;
      const grand = ancestors[ancestors.length - 3];
      const member = parent?.type === 'MemberExpression' && parent.object === n && !parent.computed ? parent : null;
      const key = member ? ((member.property as Node).name as string) : '';
      const written = member && grand && ((grand.type === 'AssignmentExpression' && grand.left === member) || grand.type === 'UpdateExpression' || (grand.type === 'UnaryExpression' && grand.operator === 'delete'));
      if (!member || !t.table.has(key) || written) refused.add(name);
      else uses.set(name, [...(uses.get(name) ?? []), member]);
    },
  } as never);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const [name, members] of uses) {
    if (refused.has(name)) continue;
    const table = tables.get(name)!.table;
    for (const m of members) edits.push({ start: m.start, end: m.end, text: String(table.get((m.property as Node).name as string)) });
  }
  for (const [name, sc] of scalars) {
    if (refused.has(name)) continue;
    const lit = literalBytes(sc.value);
    if (name.length + 2 + lit - sc.reads.length * (lit - name.length) <= 0) continue;
    for (const r of sc.reads) edits.push({ start: r.start, end: r.end, text: String(sc.value) });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return foldIntegers(out);
}

const FOLD: Record<string, (a: number, b: number) => number> = {
  '|': (a, b) => a | b, '&': (a, b) => a & b, '^': (a, b) => a ^ b, '+': (a, b) => a + b,
  '-': (a, b) => a - b, '*': (a, b) => a * b, '<<': (a, b) => a << b, '>>': (a, b) => a >> b,
};

/** The value of an expression of integer literals and FOLD operators, or null. */
function integerValue(n: Node): number | null {
  if (n.type === 'Literal') return Number.isInteger(n.value) ? (n.value as number) : null;
  if (n.type !== 'BinaryExpression' || !FOLD[n.operator as string]) return null;
  const a = integerValue(n.left as Node);
  const b = integerValue(n.right as Node);
  return a === null || b === null ? null : FOLD[n.operator as string](a, b);
}

/** Stored bytes of a foldable expression: its literals and one byte an operator. */
function storedBytes(n: Node): number {
  return n.type === 'Literal' ? literalBytes(n.value as number) : storedBytes(n.left as Node) + storedBytes(n.right as Node) + 1;
}

/** `1|2|4|...|2048` (CAPABILITIES once the tables are inlined) as one number, where that is no
 * longer than the expression (`1<<30` stays). */
function foldIntegers(source: string): string {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (n: Node): void => {
    const v = n.type === 'BinaryExpression' ? integerValue(n) : null;
    if (v !== null && Number.isSafeInteger(v) && v >= 0 && literalBytes(v) <= storedBytes(n)) {
      edits.push({ start: n.start, end: n.end, text: String(v) });
      return;
    }
    for (const c of Object.values(n)) {
      if (Array.isArray(c)) for (const x of c) if (x && typeof x.type === 'string') visit(x as Node);
      if (c && typeof c === 'object' && !Array.isArray(c) && typeof (c as Node).type === 'string') visit(c as Node);
    }
  };
  visit(parse(source, { ecmaVersion: 2022 }) as unknown as Node);
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
