// Device bundles: a function expression that uses neither `this` nor `arguments` (anywhere in it,
// nested functions included: conservative) becomes an arrow function: `function(o){return x}` is
// 7 stored bytes of syntax, `o=>x` 1 (issue #14). esbuild lowers every arrow (espruino-target.ts)
// because Espruino 2v29 asserts when it skips, unexecuted, an arrow that uses `this`; these do
// not. Methods, getters, named function expressions (they may call themselves) and generators
// stay as they are. Runs on the device bundle's text, after drop-unused, before pool-constants.

import { parse } from 'acorn';
import { ancestor, full } from 'acorn-walk';
import type { Node } from './bundle-ast';

function usesThisOrArguments(fn: Node): boolean {
  let found = false;
  full(fn.body as never, ((n: Node) => {
    if (n.type === 'ThisExpression' || n.type === 'Super' || n.type === 'MetaProperty' || (n.type === 'Identifier' && n.name === 'arguments')) found = true;
  }) as never);
  return found;
}

/** `source` with its convertible function expressions written as arrows. */
export function arrowFunctions(source: string): string {
  const ast = parse(source, { ecmaVersion: 2022 }) as unknown as Node;
  const edits: Array<{ start: number; end: number; text: string }> = [];
  ancestor(ast as never, {
    FunctionExpression(fn: Node, _state: unknown, ancestors: Node[]) {
      const parent = ancestors[ancestors.length - 2];
      // Only where an arrow parses as the same expression (it binds looser than `||`, `,` or a
      // callee): an argument, an initialiser, an assigned value, a property value, an element,
      // a returned value. Not the bundle's top function (pool-constants.ts expects it).
      const at = (parent.type === 'CallExpression' || parent.type === 'NewExpression') ? (parent.arguments as Node[]).includes(fn)
        : parent.type === 'VariableDeclarator' ? parent.init === fn && ancestors.length > 4
          : parent.type === 'AssignmentExpression' ? parent.right === fn
            : parent.type === 'Property' ? parent.value === fn && !parent.method && parent.kind === 'init'
              : parent.type === 'ArrayExpression' || parent.type === 'ReturnStatement';
      if (!at) return;
      if (fn.id || fn.generator || fn.async || usesThisOrArguments(fn)) return;
      const params = fn.params as Node[];
      if (params.some((p) => p.type !== 'Identifier')) return;
      const head = params.length === 1 ? (params[0].name as string) : `(${params.map((p) => p.name as string).join(',')})`;
      const body = fn.body as Node;
      const statements = body.body as Node[];
      let text: string;
      const only = statements.length === 1 ? statements[0] : null;
      if (only && only.type === 'ReturnStatement' && only.argument) {
        const arg = only.argument as Node;
        const expr = source.slice(arg.start, arg.end);
        // An object literal would read as a block, a sequence as more parameters of the caller.
        text = arg.type === 'ObjectExpression' || arg.type === 'SequenceExpression' ? `(${expr})` : expr;
      } else {
        text = source.slice(body.start, body.end);
      }
      // Nested conversions inside are applied to the outer text below: innermost first.
      edits.push({ start: fn.start, end: fn.end, text: `${head}=>${text}` });
    },
  } as never);
  // Apply outermost-last: an outer edit's text was taken from the original source, so it would
  // undo inner ones. Convert inner functions only where no outer one was converted; then run again.
  const outer = edits.filter((e) => !edits.some((o) => o !== e && o.start <= e.start && e.end <= o.end));
  if (!outer.length) return source;
  let out = source;
  for (const e of outer.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return arrowFunctions(out);
}
