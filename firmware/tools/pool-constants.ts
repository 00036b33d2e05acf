// Repeated string literals, long numbers (36864: status 9000) and built-in constructor names of a
// device bundle become one variable each (issue #14: flash bytes). esbuild keeps every occurrence of a literal: 'malformed-data'
// appears ~46 times in the Pico bundle, 16 stored bytes each once pretokenised (a byte for the
// token, one for the length, the text); `Uint8Array` ~60 times, 10 bytes each. After pooling each
// occurrence is a 2-character name and the text is stored once:
//   var Firmware=(function(){...;throw new E("malformed-data",...);new Uint8Array(8)...})();
//   -> var Firmware=(function(){var $a="malformed-data",$b=Uint8Array;...;new $b(8)...})();
// Only literals in expression position are pooled (not object keys, not directives), and only
// references to the standard built-ins of BUILTINS that no binding of the bundle shadows (the
// Espruino API is not: it may be absent where a test evaluates the bundle). Each is pooled only
// when that saves stored bytes. The names are fresh: no identifier of the bundle has them, so no
// inner binding can shadow them; the gate sees `$b` as Uint8Array (declared once, never written).
// Runs on the IIFE that exportsAsGlobal makes.
//
// Also the names of a few built-in members (MEMBERS): `t.length` -> `t[L]` with L="length", 3
// stored bytes instead of 7, but only outside loops: a pooled name is looked up through the
// scopes at every use (on the Linux interpreter a 2,000-byte loop on `t[L]` took 2-3 times as
// long as on `t.length`).
//
// Also spells esbuild's short forms of true, false and undefined (`!0`, `!1`, `void 0`: 2 bytes
// each once pretokenised) as the words, which Espruino's tokeniser stores as one byte.

import { parse } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import { bundleFunction, type Node } from './bundle-ast';
import { analyseScopes } from './gate-scopes';

/** A range to replace by a pooled name. */
type Site = { start: number; end: number; member: boolean };

/** Globals every JavaScript engine and Espruino have, and so may be read once at load. */
const BUILTINS = new Set([
  'Uint8Array', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array',
  'Float64Array', 'ArrayBuffer', 'DataView', 'Array', 'Object', 'String', 'Number', 'Boolean', 'Math',
  'JSON', 'Date', 'Error', 'RangeError', 'TypeError', 'Promise', 'parseInt', 'isNaN',
]);

/** Members every Espruino build has (the gate's member table), and names of the firmware's own
 * that the mangler keeps (`send`, `code`, `message`: Espruino API or edge names), read as
 * `x[name]` where that saves bytes: the same property, looked up by a string instead of an
 * identifier token. */
const MEMBERS = new Set(['length', 'subarray', 'indexOf', 'fill', 'charCodeAt', 'substring', 'set', 'push', 'send', 'code', 'message']);
const LOOPS = ['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement'];

/** Whether a node with these ancestors runs in a loop of its own function. */
function inLoop(ancestors: Node[]): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    if (FUNCTIONS.includes(ancestors[i].type)) return false;
    if (LOOPS.includes(ancestors[i].type)) return true;
  }
  return false;
}

/** Integers the tokeniser stores in 1-3 bytes (raw int tokens): not worth a variable. Others
 * (36864 = 9000, 65535, 32768, ...) stay text: 5 bytes and more. */
const SHORT_NUMBER = (v: number) => Number.isInteger(v) && v >= -32768 && v < 32768;

/** Stored bytes of a literal once pretokenised (tools/pretokenise.ts: raw string tokens). */
function literalBytes(value: string): number {
  if (value.length === 0) return 2; // kept as ""
  return value.length + (value.length < 256 ? 2 : 3);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
const FUNCTIONS = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];
const declaredCache = new WeakMap<Node, Set<string>>();

/** Every name a function binds itself: its own name (an expression's), its parameters, and each
 * declaration, catch binding and class name in its body outside nested functions (a superset of
 * its scopes' names: enough to know a name is not taken there). */
function declaredIn(fn: Node): Set<string> {
  let out = declaredCache.get(fn);
  if (out) return out;
  const names = new Set<string>();
  const bind = (p: unknown) => full(p as never, ((n: Node) => {
    if (n.type === 'Identifier') names.add(n.name as string);
  }) as never);
  if (fn.type === 'FunctionExpression' && fn.id) bind(fn.id);
  for (const p of fn.params as Node[]) bind(p);
  const visit = (n: Node): void => {
    if (FUNCTIONS.includes(n.type)) {
      if (n.type === 'FunctionDeclaration') bind(n.id);
      return;
    }
    if (n.type === 'VariableDeclarator') bind(n.id);
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) bind(n.id);
    if (n.type === 'CatchClause' && n.param) bind(n.param);
    for (const v of Object.values(n)) {
      for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') visit(c as Node);
    }
  };
  visit(fn.body as Node);
  out = names;
  declaredCache.set(fn, out);
  return out;
}

/** Names `$a`, `$b`, ..., `$aa`, ... that no identifier of the bundle uses. */
function* freshNames(used: Set<string>): Generator<string> {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let width = 1; ; width++) {
    const total = letters.length ** width;
    for (let i = 0; i < total; i++) {
      let name = '$';
      for (let k = 0, n = i; k < width; k++, n = Math.floor(n / letters.length)) name += letters[n % letters.length];
      if (!used.has(name)) yield name;
    }
  }
}

/** `source` with repeated string literals and built-in names replaced by variables declared at
 * the IIFE's top. */
export function poolConstants(source: string): string {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const top = bundleFunction(ast, 'pool-constants');
  const body = top.body as Node;
  const used = new Set<string>();
  full(ast as never, ((n: Node) => {
    if (n.type === 'Identifier') used.add(n.name as string);
  }) as never);
  // Value (a literal's JSON, or a built-in's name) -> its occurrences, and the names declared in
  // the functions around each (a one-letter name must not be one of them).
  // A site is the range replaced by the pool's name; a member's (`.length`) by `[name]`.
  const sites = new Map<string, Site[]>();
  const around = new Map<string, Set<string>>();
  const site = (key: string, n: Site, ancestors: Node[]) => {
    const list = sites.get(key) ?? [];
    list.push(n);
    sites.set(key, list);
    const names = around.get(key) ?? new Set<string>();
    for (const a of ancestors) if (FUNCTIONS.includes(a.type)) for (const d of declaredIn(a)) names.add(d);
    around.set(key, names);
  };
  // `{Uint8Array}` is a key as well as a reference: left alone.
  const shorthand = new Set<Node>();
  full(ast as never, ((n: Node) => {
    if (n.type === 'Property' && n.shorthand) shorthand.add(n.value as Node);
  }) as never);
  const free = new Set<Node>();
  const globals = new Set<string>();
  for (const r of analyseScopes(ast as never).references) {
    if (r.binding) continue;
    free.add(r.id as unknown as Node);
    globals.add(r.id.name as string);
  }
  ancestor(top as never, {
    Identifier(n: Node, _state: unknown, ancestors: Node[]) {
      if (free.has(n) && BUILTINS.has(n.name as string) && !shorthand.has(n)) site(n.name as string, { start: n.start, end: n.end, member: false }, ancestors);
    },
    MemberExpression(n: Node, _state: unknown, ancestors: Node[]) {
      const p = n.property as Node;
      if (n.computed || n.optional || !MEMBERS.has(p.name as string) || inLoop(ancestors)) return;
      site(JSON.stringify(p.name), { start: (n.object as Node).end, end: n.end, member: true }, ancestors);
    },
    Literal(n: Node, _state: unknown, ancestors: Node[]) {
      const number = typeof n.value === 'number' && !SHORT_NUMBER(n.value);
      if ((typeof n.value !== 'string' && !number) || n.start < body.start) return;
      const parent = ancestors[ancestors.length - 2];
      if ((parent.type === 'Property' || parent.type === 'MethodDefinition') && parent.key === n && !parent.computed) return;
      if (parent.type === 'ExpressionStatement' && (parent as { directive?: string }).directive !== undefined) return;
      site(number ? source.slice(n.start, n.end) : JSON.stringify(n.value), { start: n.start, end: n.end, member: false }, ancestors);
    },
  } as never);
  const names = freshNames(used);
  const edits: Array<{ start: number; end: number; text: string; member?: boolean }> = [];
  const decls: string[] = [];
  // Most stored bytes saved first, so the shortest names go where they count.
  const bytes = (key: string) => (key.startsWith('"') ? literalBytes(JSON.parse(key) as string) : key.length);
  // A use's stored bytes now: the literal, or the member's `.` and name (an identifier is raw text).
  const cost = (key: string, n: Site) => (n.member ? (JSON.parse(key) as string).length + 1 : bytes(key));
  const total = (key: string, list: Site[]) => list.reduce((sum, n) => sum + cost(key, n), 0);
  const ranked = [...sites.entries()].sort((a, b) => total(b[0], b[1]) - total(a[0], a[1]));
  let fresh = names.next().value as string;
  const letters = new Set<string>();
  for (const [key, list] of ranked) {
    // A one-letter name where no function around a use declares it and no global has it.
    let name = fresh;
    for (const c of LETTERS) {
      if (!letters.has(c) && !globals.has(c) && !around.get(key)!.has(c)) {
        name = c;
        break;
      }
    }
    const before = total(key, list);
    // uses (a member's in brackets) + `name=<value>,`
    const after = list.reduce((sum, n) => sum + name.length + (n.member ? 2 : 0), 0) + name.length + 2 + bytes(key);
    if (after >= before) continue;
    decls.push(`${name}=${key}`);
    for (const n of list) edits.push({ start: n.start, end: n.end, text: n.member ? `[${name}]` : name, member: n.member });
    if (name === fresh) fresh = names.next().value as string;
    else letters.add(name);
  }
  // `!0` `!1` `void 0` -> true false undefined (each a one-byte token).
  full(body as never, ((n: Node) => {
    const arg = n.argument as Node | undefined;
    if (n.type !== 'UnaryExpression' || arg?.type !== 'Literal') return;
    if (n.operator === '!' && (arg.value === 0 || arg.value === 1)) edits.push({ start: n.start, end: n.end, text: arg.value === 0 ? 'true' : 'false' });
    if (n.operator === 'void' && arg.value === 0) edits.push({ start: n.start, end: n.end, text: 'undefined' });
  }) as never);
  if (!edits.length) return source;
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  // A word right after a keyword or name needs a space (`case"x"` -> `case $a`), and one right
  // before a name too.
  for (const e of edits) {
    const before = !e.member && /[\w$]/.test(out.charAt(e.start - 1)) ? ' ' : '';
    const after = !e.member && /[\w$]/.test(out.charAt(e.end)) ? ' ' : '';
    out = out.slice(0, e.start) + before + e.text + after + out.slice(e.end);
  }
  const at = body.start + 1;
  return decls.length ? out.slice(0, at) + 'var ' + decls.join(',') + ';' + out.slice(at) : out;
}
