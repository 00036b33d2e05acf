// Device bundles: declarations of the bundle's top function that nothing uses go. esbuild keeps
// a module-level `new Uint8Array([...])` (a call, to it a side effect) and the helpers whose only
// callers strip-prose.ts removed (hex4, the SM failure texts); in the Pico bundle that was the
// TypeScript DES tables and SHA work arrays NATIVE_ONLY leaves unused, ~0.8 KB. Runs on
// exportsAsGlobal's `var X=(function(){...})()`, after strip-prose and before pool-constants.
//
// A declaration goes only if its name occurs nowhere else in the program (a shadowing inner name
// of the same spelling keeps it: conservative) and making it has no effect: a function, a class
// without computed keys, static members or heritage, a literal, a name, an array or object of
// such values, or `new` of a typed array with such arguments. Repeated until nothing changes
// (a table used only by a dropped helper goes in the next round). With the bundler's reserved
// names, class methods and getters that nothing calls go too (dropMembersOnce).

import { parse } from 'acorn';
import { full } from 'acorn-walk';
import { bundleFunction, type Node } from './bundle-ast';

const TYPED_ARRAYS = new Set(['Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array']);

/** Whether evaluating `n` (a declaration's initial value) can have an effect. */
function pure(n: Node | null | undefined): boolean {
  if (!n) return true;
  switch (n.type) {
    case 'Literal':
    case 'Identifier':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return true;
    case 'UnaryExpression':
      return n.operator !== 'delete' && pure(n.argument as Node);
    case 'ArrayExpression':
      return (n.elements as Array<Node | null>).every((e) => !e || (e.type !== 'SpreadElement' && pure(e)));
    case 'ObjectExpression':
      return (n.properties as Node[]).every((p) => p.type === 'Property' && !p.computed && pure(p.value as Node));
    case 'NewExpression': {
      const c = n.callee as Node;
      return c.type === 'Identifier' && TYPED_ARRAYS.has(c.name as string) && (n.arguments as Node[]).every(pure);
    }
    case 'ClassExpression':
      return !n.superClass && ((n.body as Node).body as Node[]).every((m) => m.type === 'MethodDefinition' && !m.computed && !m.static);
    default:
      return false;
  }
}

/** One round: the text without the unused declarations it found, or null if none. */
function dropOnce(source: string): string | null {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const uses = new Map<string, number>();
  full(ast as never, ((n: Node) => {
    if (n.type === 'Identifier') uses.set(n.name as string, (uses.get(n.name as string) ?? 0) + 1);
  }) as never);
  const unused = (id: Node) => id.type === 'Identifier' && uses.get(id.name as string) === 1;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const st of (bundleFunction(ast, 'drop-unused').body as Node).body as Node[]) {
    if (st.type === 'FunctionDeclaration' && unused(st.id as Node)) edits.push({ start: st.start, end: st.end, text: '' });
    if (st.type !== 'VariableDeclaration') continue;
    const all = st.declarations as Node[];
    const kept = all.filter((d) => !(unused(d.id as Node) && pure(d.init as Node)));
    if (kept.length === all.length) continue;
    const semicolon = source.charAt(st.end - 1) === ';' ? ';' : '';
    const text = kept.length ? `${st.kind as string} ${kept.map((d) => source.slice(d.start, d.end)).join(',')}${semicolon}` : '';
    edits.push({ start: st.start, end: st.end, text });
  }
  if (!edits.length) return null;
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A property name as written: `o.name`, `{name: ...}`, a method's key, or a string (which
 * may be used as `o[s]`). */
function propertyNames(ast: Node): Map<string, number> {
  const names = new Map<string, number>();
  const add = (name: string) => names.set(name, (names.get(name) ?? 0) + 1);
  full(ast as never, ((n: Node) => {
    const key = (n.type === 'MemberExpression' ? n.property : n.type === 'Property' || n.type === 'MethodDefinition' ? n.key : null) as Node | null;
    if (key && !n.computed && key.type === 'Identifier') add(key.name as string);
    if (n.type === 'Literal' && typeof n.value === 'string') add(n.value);
  }) as never);
  return names;
}

/**
 * One round of unused class members: a method or getter whose name (one the bundler shortened,
 * so no engine or outside caller knows it: not `reserved`) is spelled nowhere but at its own
 * definitions. The host's diagnostics (ReliableLink's errorCount, ByteReader's remaining) that
 * no device code reads. Null if none.
 */
function dropMembersOnce(source: string, reserved: RegExp): string | null {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const names = propertyNames(ast);
  const methods: Node[] = [];
  full(ast as never, ((n: Node) => {
    if (n.type === 'MethodDefinition') methods.push(n);
  }) as never);
  const defined = new Map<string, number>();
  const setters = new Set<string>();
  for (const m of methods) {
    const key = m.key as Node;
    if (m.computed || key.type !== 'Identifier') continue;
    defined.set(key.name as string, (defined.get(key.name as string) ?? 0) + 1);
    if (m.kind === 'set') setters.add(key.name as string);
  }
  const edits = methods.filter((m) => {
    const key = m.key as Node;
    const name = key.name as string;
    return !m.computed && !m.static && key.type === 'Identifier' && (m.kind === 'method' || m.kind === 'get')
      && !reserved.test(name) && !setters.has(name) && names.get(name) === defined.get(name);
  });
  if (!edits.length) return null;
  let out = source;
  for (const m of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, m.start) + out.slice(m.end);
  return out;
}

/** `source` without the top function's declarations that nothing uses and, given the names the
 * bundler kept (`reserved`), without the class methods and getters that nothing calls. */
export function dropUnused(source: string, reserved?: RegExp): string {
  let out = source;
  for (;;) {
    let next = dropOnce(out);
    if (next === null && reserved) next = dropMembersOnce(out, reserved);
    if (next === null) return out;
    out = next;
  }
}
