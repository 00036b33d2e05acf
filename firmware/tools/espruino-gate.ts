// The Espruino gate: parses a finished bundle and lists everything Espruino would not run.
// Strict by design: globals, members and modules are checked against what the boards have (the
// generated member table, member-table/espruino-members.json), not against a deny-list, so a new
// browser or Node global fails here rather than on the board.

import { parse, type Node } from 'acorn';
import { full } from 'acorn-walk';
import { checkMembers } from './gate-members';
import { analyseScopes } from './gate-scopes';
import { espruinoApi, FIRMWARE_BOARDS } from './member-table/espruino-api';

export interface GateViolation {
  rule: string;
  message: string;
  offset: number;
}

/** Syntax node types Espruino cannot run at all. */
const FORBIDDEN_NODES: Record<string, string> = {
  AwaitExpression: 'await',
  YieldExpression: 'yield (generators)',
  ForOfStatement: 'for...of (iterators)',
  ObjectPattern: 'object destructuring',
  ArrayPattern: 'array destructuring',
  RestElement: 'rest parameters / rest elements',
  SpreadElement: 'spread',
  AssignmentPattern: 'default values in parameters or patterns',
  ChainExpression: 'optional chaining',
  PropertyDefinition: 'class fields',
  PrivateIdentifier: 'private class members',
  StaticBlock: 'class static blocks',
  LabeledStatement: 'labels',
  WithStatement: 'with',
  TaggedTemplateExpression: 'tagged templates',
  MetaProperty: 'new.target / import.meta',
  ImportExpression: 'dynamic import',
  ImportDeclaration: 'ES module import (the bundle must be a script)',
  ExportNamedDeclaration: 'ES module export',
  ExportDefaultDeclaration: 'ES module export',
  ExportAllDeclaration: 'ES module export',
};

type AnyNode = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Espruino does not hoist function declarations: a function must be declared before the code
 * that calls it runs. For each block, walk its statements in order; a statement that runs at
 * load time may reach (directly, or through functions it calls) only functions declared before
 * it. Functions used only from callbacks that run later are not flagged.
 */
function hoistingViolations(ast: Node, out: GateViolation[]): void {
  const declared = new Map<string, AnyNode>(); // function name -> declaration (first one wins)
  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type === 'FunctionDeclaration' && !declared.has(node.id.name)) declared.set(node.id.name, node);
  });

  // Names referenced directly in a subtree, not counting nested function bodies.
  const directRefs = (root: AnyNode): string[] => {
    const refs: string[] = [];
    const walkNode = (node: AnyNode): void => {
      if (!node || typeof node.type !== 'string') return;
      if (node !== root && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')) return;
      if (node.type === 'Identifier') refs.push(node.name);
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end') continue;
        // A property name (`this.I()`, `{ I: 1 }`, a method `I(){}`) is not a reference to a
        // function `I`: mangled member names may coincide with minified function names.
        if ((key === 'property' || key === 'key') && !node.computed) continue;
        const v = node[key];
        if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && walkNode(c));
        else if (v && typeof v.type === 'string') walkNode(v);
      }
    };
    if (root.type === 'FunctionDeclaration' || root.type === 'FunctionExpression' || root.type === 'ArrowFunctionExpression') walkNode(root.body);
    else walkNode(root);
    return refs;
  };

  const checkBlock = (statements: AnyNode[]): void => {
    const ready = new Set<string>();
    for (const st of statements) {
      if (st.type === 'FunctionDeclaration') {
        ready.add(st.id.name);
        continue;
      }
      // Everything this statement can reach through declared functions.
      const seen = new Set<string>();
      const queue = directRefs(st);
      while (queue.length) {
        const name = queue.pop()!;
        const decl = declared.get(name);
        if (!decl || seen.has(name)) continue;
        seen.add(name);
        if (!ready.has(name) && statements.includes(decl)) {
          out.push({ rule: 'hoisting', message: `function ${name} is used before its declaration runs (Espruino does not hoist)`, offset: st.start });
        }
        queue.push(...directRefs(decl));
      }
    }
  };

  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type === 'Program' || node.type === 'BlockStatement') checkBlock(node.body);
  });
}

export interface GateOptions {
  /** Table boards the bundle must run on (default: the Pico and the Espruino WiFi). */
  boards?: readonly string[];
}

/** Words acorn reads as identifiers that Espruino's lexer takes as keywords (src/jslex.h:
 * LEX_R_UNDEFINED), so not globals of the member table. */
const ESPRUINO_KEYWORDS = new Set(['undefined']);

export function checkBundle(source: string, options: GateOptions = {}): GateViolation[] {
  const api = espruinoApi(options.boards ?? FIRMWARE_BOARDS);
  const out: GateViolation[] = [];
  let ast: Node;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: false });
  } catch (e) {
    return [{ rule: 'parse', message: 'not a plain script: ' + (e as Error).message, offset: 0 }];
  }

  full(ast, (n) => {
    const node = n as AnyNode;
    const at = node.start;
    const forbidden = FORBIDDEN_NODES[node.type];
    if (forbidden) out.push({ rule: 'syntax', message: forbidden, offset: at });
    switch (node.type) {
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression':
        if (node.async) out.push({ rule: 'syntax', message: 'async function', offset: at });
        if (node.generator) out.push({ rule: 'syntax', message: 'generator function', offset: at });
        break;
      case 'Literal':
        if (node.bigint !== undefined) out.push({ rule: 'syntax', message: 'BigInt literal', offset: at });
        if (node.regex) out.push({ rule: 'syntax', message: 'RegExp literal (avoid RegExp in firmware)', offset: at });
        break;
      case 'BinaryExpression':
        if (node.operator === '**') out.push({ rule: 'syntax', message: 'exponent operator **', offset: at });
        if (node.operator === '??') out.push({ rule: 'syntax', message: 'nullish coalescing ??', offset: at });
        break;
      case 'LogicalExpression':
        if (node.operator === '??') out.push({ rule: 'syntax', message: 'nullish coalescing ??', offset: at });
        break;
      case 'AssignmentExpression':
        if (['**=', '&&=', '||=', '??='].includes(node.operator)) out.push({ rule: 'syntax', message: 'assignment operator ' + node.operator, offset: at });
        break;
      case 'CatchClause':
        if (!node.param) out.push({ rule: 'syntax', message: 'catch without a binding', offset: at });
        break;
      case 'ClassDeclaration': case 'ClassExpression':
        if (node.superClass && node.superClass.type !== 'Identifier') out.push({ rule: 'syntax', message: 'class extends an expression', offset: at });
        break;
      case 'ExpressionStatement':
        if (node.directive === 'use strict') out.push({ rule: 'syntax', message: 'strict mode', offset: at });
        break;
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const arg = node.arguments[0];
          if (node.arguments.length !== 1 || arg.type !== 'Literal' || !api.modules.has(arg.value)) {
            out.push({ rule: 'require', message: 'require of something the board does not have', offset: at });
          }
        }
        break;
    }
  });

  const scopes = analyseScopes(ast);
  for (const { id, binding } of scopes.references) {
    if (binding || api.globals.has(id.name) || api.pins.has(id.name) || ESPRUINO_KEYWORDS.has(id.name)) continue;
    out.push({ rule: 'global', message: `global ${id.name} is not offered by Espruino (${api.boards.join(' + ')})`, offset: id.start });
  }
  for (const v of checkMembers(ast, scopes, api)) out.push({ rule: 'member', ...v });
  superIntoBuiltins(ast, scopes, out);

  hoistingViolations(ast, out);
  out.sort((a, b) => a.offset - b.offset);
  return out;
}

/** The class a `super(...)` call reaches when the superclass is a built-in (a global, or a
 * variable declared once from one, as pooling makes): Espruino 2v29 throws "Calling 'super'
 * outside of class" for `class extends Error/Object/Uint8Array { constructor(){ super() } }`
 * (measured on ../shared/espruino); a class of the bundle as superclass works. */
function superIntoBuiltins(ast: Node, scopes: ReturnType<typeof analyseScopes>, out: GateViolation[]): void {
  const builtin = (id: AnyNode): string | null => {
    const b = scopes.bindingOf(id);
    if (!b) return id.name;
    const init = b.node.type === 'VariableDeclarator' && b.writes === 0 ? b.node.init : null;
    return init && init.type === 'Identifier' && !scopes.bindingOf(init) ? init.name : null;
  };
  full(ast, (n) => {
    const node = n as AnyNode;
    if ((node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression') || node.superClass?.type !== 'Identifier') return;
    const name = builtin(node.superClass);
    if (!name) return;
    const ctor = node.body.body.find((m: AnyNode) => m.kind === 'constructor');
    let calls = false;
    if (ctor) full(ctor, (c) => { if ((c as AnyNode).type === 'CallExpression' && (c as AnyNode).callee.type === 'Super') calls = true; });
    if (calls) out.push({ rule: 'syntax', message: `super() in a subclass of the built-in ${name} (Espruino throws "Calling 'super' outside of class")`, offset: node.start });
  });
}

/** A one-line-per-violation report with a little context from the bundle. */
export function formatViolations(source: string, violations: GateViolation[]): string {
  return violations
    .map((v) => `  [${v.rule}] ${v.message} at offset ${v.offset}: ${JSON.stringify(source.slice(v.offset, v.offset + 60))}`)
    .join('\n');
}

