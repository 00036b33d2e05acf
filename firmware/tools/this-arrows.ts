// Device bundles: `var e=this;` (esbuild's lowering of arrows that use `this`, espruino-target.ts)
// goes where every use of `e` can read `this` again, 5 stored bytes a function (issue #14).
// Runs after arrow-functions.ts, which has made arrows of the functions that use `e`.
//
// Espruino 2v29 asserts (jsvar.c jsvHasChildren) when it parses without running an arrow that
// uses `this`: measured on ../shared/espruino, `x ? f(() => this.y) : 0`, `x || ...`, `if (x)
// f(() => this.y); else ...`, a switch case, a loop body it leaves. So `e` goes only if each use is
// in the function itself or in arrows (no `function` between) each of which sits where it always
// runs when its function runs: nothing but plain statements, calls, assignments, sequences,
// literals and operators between them (no if, ?:, && or ||, loop, switch or try). An early
// return or throw before one is fine (measured: the rest is skipped without that parse).

import { parse } from 'acorn';
import { ancestor } from 'acorn-walk';
import type { Node } from './bundle-ast';

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** What may lie between an arrow and its function: each always runs when its parent runs. */
const STRAIGHT = new Set([
  'ExpressionStatement', 'VariableDeclaration', 'VariableDeclarator', 'ReturnStatement', 'ThrowStatement',
  'BlockStatement', 'SequenceExpression', 'CallExpression', 'NewExpression', 'MemberExpression',
  'AssignmentExpression', 'BinaryExpression', 'UnaryExpression', 'UpdateExpression', 'ObjectExpression',
  'Property', 'ArrayExpression', 'ArrowFunctionExpression',
]);

type Edit = { start: number; end: number; text: string };

/** Names declared anywhere inside `fn` other than its own `var X=this` (a shadow: left alone). */
function declares(fn: Node, name: string, own: Node): boolean {
  let found = false;
  ancestor(fn.body as never, {
    VariableDeclarator(d: Node) {
      if (d !== own && (d.id as Node).type === 'Identifier' && (d.id as Node).name === name) found = true;
    },
    Function(f: Node) {
      for (const p of f.params as Node[]) if (p.type === 'Identifier' && p.name === name) found = true;
    },
    CatchClause(c: Node) {
      if ((c.param as Node | null)?.name === name) found = true;
    },
  } as never);
  return found;
}

/** Whether a use of the alias (its ancestors, innermost last) may read `this`: only arrows up to
 * `fn`, each in a straight-line place of the function around it. */
function rebindable(ancestors: Node[], fn: Node): boolean {
  const at = ancestors.indexOf(fn);
  let fromArrow = false;
  for (let i = ancestors.length - 2; i > at; i--) {
    const a = ancestors[i];
    if (FUNCTIONS.has(a.type)) {
      if (a.type !== 'ArrowFunctionExpression') return false;
      fromArrow = true;
      continue;
    }
    // Between an arrow and its parent function: only straight-line nodes.
    if (fromArrow && !STRAIGHT.has(a.type)) return false;
  }
  return true;
}

function roundOnce(source: string): string | null {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const edits: Edit[] = [];
  ancestor(ast as never, {
    VariableDeclaration(decl: Node, _s: unknown, anc: Node[]) {
      const list = decl.declarations as Node[];
      const own = list.find((d) => (d.init as Node | null)?.type === 'ThisExpression' && (d.id as Node).type === 'Identifier');
      const block = anc[anc.length - 2];
      const fn = anc[anc.length - 3];
      if (!own || decl.kind !== 'var' || block?.type !== 'BlockStatement' || !fn || !FUNCTIONS.has(fn.type) || fn.type === 'ArrowFunctionExpression') return;
      const name = (own.id as Node).name as string;
      if (declares(fn, name, own)) return;
      const uses: Node[] = [];
      let ok = true;
      ancestor(fn.body as never, {
        Identifier(id: Node, _t: unknown, inner: Node[]) {
          if (id.name !== name || id === own.id) return;
          const parent = inner[inner.length - 2];
          // Only reads of the alias (`e.x`, `e.f()`, `e` as a value), never a property key.
          if (parent.type === 'MemberExpression' && parent.property === id && !parent.computed) return;
          if (parent.type === 'Property' && parent.shorthand) ok = false; // {e}: the key would change
          if (parent.type === 'Property' && parent.key === id) return;
          if (!rebindable([anc[anc.length - 3], ...inner], fn)) ok = false;
          uses.push(id);
        },
      } as never);
      if (!ok) return;
      const i = list.indexOf(own);
      if (list.length === 1) edits.push({ start: decl.start, end: decl.end, text: '' });
      else edits.push(i < list.length - 1 ? { start: own.start, end: list[i + 1].start, text: '' } : { start: list[i - 1].end, end: own.end, text: '' });
      for (const u of uses) edits.push({ start: u.start, end: u.end, text: 'this' });
    },
  } as never);
  if (!edits.length) return null;
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** `source` without the `var e=this` aliases that its arrows can do without. */
export function thisArrows(source: string): string {
  let out = source;
  for (let next = roundOnce(out); next !== null; next = roundOnce(out)) out = next;
  return out;
}
