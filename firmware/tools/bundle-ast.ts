// The build steps that rewrite a bundle after esbuild (pool-constants, drop-unused,
// inline-constants, arrow-functions) read it with acorn; this is the shape they share.

/** An acorn node, read loosely: each step looks only at the fields it needs. */
export type Node = { type: string; start: number; end: number } & Record<string, unknown>;

/** The function of `var <global>=(function(){...})();`, the bundle's one top-level function
 * (bundler.ts exportsAsGlobal). `tool` names the step in the error for any other shape. */
export function bundleFunction(ast: Node, tool: string): Node {
  const decl = (ast.body as Node[]).find((s) => s.type === 'VariableDeclaration');
  const init = (decl?.declarations as Node[] | undefined)?.[0]?.init as Node | undefined;
  const callee = init?.type === 'CallExpression' ? (init.callee as Node) : undefined;
  if (!callee || callee.type !== 'FunctionExpression') throw new Error(`${tool}: expected var X=(function(){...})()`);
  return callee;
}
