// Binds every identifier reference of a script to its declaration, by JavaScript's scoping
// rules (var and function declarations to the enclosing function, let/const/class to the block,
// parameters and catch bindings to theirs). A reference with no declaration is a global.
// Minified bundles reuse one-letter names in every scope: a name alone says nothing.

import type { Node } from 'acorn';

type AnyNode = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Binding {
  kind: 'var' | 'let' | 'const' | 'function' | 'class' | 'param' | 'catch';
  /** The declaring node: VariableDeclarator, FunctionDeclaration, ClassDeclaration, ... */
  node: AnyNode;
  /** Assignments and updates to the name after its declaration. */
  writes: number;
}

export interface Scopes {
  /** The binding an Identifier in reference position resolves to; null for a global. */
  bindingOf(id: AnyNode): Binding | null;
  /** Every identifier in reference position, in source order, with its binding. */
  references: Array<{ id: AnyNode; binding: Binding | null }>;
}

class Scope {
  readonly names = new Map<string, Binding>();
  constructor(readonly parent: Scope | null, readonly isFunction: boolean) {}
  lookup(name: string): Binding | null {
    return this.names.get(name) ?? (this.parent ? this.parent.lookup(name) : null);
  }
}

function patternNames(p: AnyNode | null, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === 'Identifier') out.push(p.name);
  else if (p.type === 'AssignmentPattern') patternNames(p.left, out);
  else if (p.type === 'RestElement') patternNames(p.argument, out);
  else if (p.type === 'ArrayPattern') p.elements.forEach((e: AnyNode) => patternNames(e, out));
  else if (p.type === 'ObjectPattern') p.properties.forEach((q: AnyNode) => patternNames(q.type === 'RestElement' ? q : q.value, out));
  return out;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** var declarations and function declarations of a function body, not of nested functions. */
function hoist(node: AnyNode, scope: Scope, top: boolean): void {
  if (!node || typeof node.type !== 'string') return;
  if (!top && FUNCTION_TYPES.has(node.type)) return;
  if (node.type === 'VariableDeclaration' && node.kind === 'var') {
    for (const d of node.declarations) for (const n of patternNames(d.id)) if (!scope.names.has(n)) scope.names.set(n, { kind: 'var', node: d, writes: 0 });
  }
  if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && hoist(c, scope, false));
    else if (v && typeof v.type === 'string' && key !== 'type') hoist(v, scope, false);
  }
}

/** let/const/class/function declared directly in a block or program body. */
function declareLexical(statements: AnyNode[], scope: Scope): void {
  for (const st of statements) {
    if (st.type === 'VariableDeclaration' && st.kind !== 'var') {
      for (const d of st.declarations) for (const n of patternNames(d.id)) scope.names.set(n, { kind: st.kind, node: d, writes: 0 });
    } else if (st.type === 'ClassDeclaration') scope.names.set(st.id.name, { kind: 'class', node: st, writes: 0 });
    else if (st.type === 'FunctionDeclaration') scope.names.set(st.id.name, { kind: 'function', node: st, writes: 0 });
  }
}

export function analyseScopes(program: Node): Scopes {
  const bindings = new Map<AnyNode, Binding | null>();
  const references: Scopes['references'] = [];
  const ref = (id: AnyNode, scope: Scope) => {
    const b = scope.lookup(id.name);
    bindings.set(id, b);
    references.push({ id, binding: b });
    return b;
  };

  const visitFunction = (fn: AnyNode, outer: Scope) => {
    const scope = new Scope(outer, true);
    if (fn.type === 'FunctionExpression' && fn.id) scope.names.set(fn.id.name, { kind: 'function', node: fn, writes: 0 });
    for (const p of fn.params) for (const n of patternNames(p)) scope.names.set(n, { kind: 'param', node: fn, writes: 0 });
    if (fn.type !== 'ArrowFunctionExpression' && !scope.names.has('arguments')) {
      // `arguments` is the function's own (an Array on Espruino): not the global.
      scope.names.set('arguments', { kind: 'param', node: fn, writes: 0 });
    }
    fn.params.forEach((p: AnyNode) => visitPatternDefaults(p, scope));
    if (fn.body.type === 'BlockStatement') {
      hoist(fn.body, scope, true);
      declareLexical(fn.body.body, scope);
      fn.body.body.forEach((s: AnyNode) => visit(s, scope));
    } else visit(fn.body, scope);
  };

  const visitPatternDefaults = (p: AnyNode, scope: Scope): void => {
    if (!p) return;
    if (p.type === 'AssignmentPattern') { visitPatternDefaults(p.left, scope); visit(p.right, scope); }
    else if (p.type === 'ArrayPattern') p.elements.forEach((e: AnyNode) => visitPatternDefaults(e, scope));
    else if (p.type === 'ObjectPattern') p.properties.forEach((q: AnyNode) => {
      if (q.type === 'RestElement') return;
      if (q.computed) visit(q.key, scope);
      visitPatternDefaults(q.value, scope);
    });
  };

  const assignTarget = (target: AnyNode, scope: Scope) => {
    if (target.type === 'Identifier') {
      const b = ref(target, scope);
      if (b) b.writes++;
    } else if (target.type === 'MemberExpression') visit(target, scope);
    else for (const n of patternNames(target)) { const b = scope.lookup(n); if (b) b.writes++; }
  };

  const visit = (node: AnyNode, scope: Scope): void => {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'Identifier': ref(node, scope); return;
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression': visitFunction(node, scope); return;
      case 'ClassDeclaration': case 'ClassExpression': {
        const inner = new Scope(scope, false);
        if (node.id) inner.names.set(node.id.name, { kind: 'class', node, writes: 0 });
        visit(node.superClass, scope);
        for (const m of node.body.body) {
          if (m.computed) visit(m.key, inner);
          visit(m.value, inner);
          if (m.type === 'StaticBlock') m.body.forEach((s: AnyNode) => visit(s, inner));
        }
        return;
      }
      case 'BlockStatement': case 'StaticBlock': {
        const inner = new Scope(scope, false);
        declareLexical(node.body, inner);
        node.body.forEach((s: AnyNode) => visit(s, inner));
        return;
      }
      case 'ForStatement': case 'ForInStatement': case 'ForOfStatement': {
        const inner = new Scope(scope, false);
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head && head.type === 'VariableDeclaration') declareLexical([head], inner);
        for (const k of ['init', 'test', 'update', 'right']) visit(node[k], inner);
        if (head && head.type !== 'VariableDeclaration' && node.type !== 'ForStatement') assignTarget(head, inner);
        else if (head && node.type !== 'ForStatement') visit(head, inner);
        visit(node.body, inner);
        return;
      }
      case 'CatchClause': {
        const inner = new Scope(scope, false);
        for (const n of patternNames(node.param)) inner.names.set(n, { kind: 'catch', node, writes: 0 });
        visit(node.body, inner);
        return;
      }
      case 'VariableDeclarator': visitPatternDefaults(node.id, scope); visit(node.init, scope); return;
      case 'AssignmentExpression': assignTarget(node.left, scope); visit(node.right, scope); return;
      case 'UpdateExpression': assignTarget(node.argument, scope); return;
      case 'MemberExpression': visit(node.object, scope); if (node.computed) visit(node.property, scope); return;
      case 'Property': if (node.computed) visit(node.key, scope); visit(node.value, scope); return;
      case 'LabeledStatement': visit(node.body, scope); return;
      case 'BreakStatement': case 'ContinueStatement': return;
    }
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc') continue;
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && visit(c, scope));
      else if (v && typeof v.type === 'string') visit(v, scope);
    }
  };

  const top = new Scope(null, true);
  const body = (program as AnyNode).body as AnyNode[];
  hoist(program as AnyNode, top, true);
  declareLexical(body, top);
  body.forEach((s) => visit(s, top));
  return { bindingOf: (id) => bindings.get(id) ?? null, references };
}
