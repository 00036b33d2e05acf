// Espruino does not hoist function declarations: `f(); function f() {}` fails on the board
// ("f" is not defined), at the top level and inside functions alike (measured on
// ../shared/espruino/espruino, 2v29). V8 hoists them. So the shim rewrites every function
// declaration into a var assigned where the declaration stands:
//   function f(a) { ... }   ->   var f = function f(a) { ... };
// A call before that line then fails here too (TypeError "f is not a function": V8 hoists the
// var, not its value; Espruino says ReferenceError). Positions within a line are shifted, line
// numbers are kept.

import { parse, type Node } from 'acorn';
import { full } from 'acorn-walk';

type AnyNode = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cache = new Map<string, string>();
const CACHE_SIZE = 8;

export function withoutHoisting(source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  let ast: Node;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return source; // V8 reports the syntax error itself, with its own message
  }
  const inserts: Array<[number, string]> = [];
  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'FunctionDeclaration' || !node.id) return;
    inserts.push([node.start, `var ${node.id.name} = `], [node.end, ';']);
  });
  // From the end, so that earlier offsets stay valid; where one declaration ends and the next
  // begins (`}function g`), the `var g = ` goes in first so that the `;` lands before it.
  inserts.sort((a, b) => b[0] - a[0] || (a[1] === ';' ? 1 : 0) - (b[1] === ';' ? 1 : 0));
  let out = source;
  for (const [at, text] of inserts) out = out.slice(0, at) + text + out.slice(at);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(source, out);
  return out;
}
