// The Espruino gate: parses a finished bundle and lists everything Espruino would not run.
// Strict by design: globals are checked against an allow-list, not a deny-list, so a new
// browser or Node global fails here rather than on the board.

import { parse, type Node } from 'acorn';
import { ancestor, full } from 'acorn-walk';

export interface GateViolation {
  rule: string;
  message: string;
  offset: number;
}

/** Globals the Espruino interpreter (2v2x, STM32F4 boards) provides and the firmware may use. */
export const ESPRUINO_GLOBALS = new Set([
  // language
  'Array', 'ArrayBuffer', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array',
  'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Boolean', 'Date', 'Error', 'TypeError',
  'RangeError', 'SyntaxError', 'ReferenceError', 'InternalError', 'Function', 'JSON', 'Math', 'Number',
  'Object', 'Promise', 'String', 'isNaN', 'isFinite', 'parseInt', 'parseFloat', 'NaN', 'Infinity',
  'undefined', 'arguments', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval',
  'changeInterval', 'console', 'print', 'btoa', 'atob',
  // Espruino
  'E', 'USB', 'Serial1', 'Serial2', 'Serial3', 'LoopbackA', 'LoopbackB', 'I2C1', 'I2C2', 'I2C3',
  'SPI1', 'SPI2', 'SPI3', 'I2C', 'SPI', 'Serial', 'Pin', 'digitalWrite', 'digitalRead', 'digitalPulse',
  'pinMode', 'setWatch', 'clearWatch', 'getTime', 'LED1', 'LED2', 'LED3', 'BTN', 'BTN1', 'require',
  'reset', 'save', 'load', 'peek8', 'poke8',
]);

/** Modules the firmware may `require` on the board (string literal only). */
export const ESPRUINO_MODULES = new Set(['crypto', 'Storage']);

/** Members Espruino lacks even though the object exists. `.name` matches any object. */
const FORBIDDEN_MEMBERS = new Set([
  'Number.isNaN', 'Number.isInteger', 'Number.isFinite', 'Number.isSafeInteger', 'Math.trunc',
  'Math.sign', 'Math.cbrt', 'Math.hypot', 'Math.clz32', 'Math.fround', 'Math.imul', 'Array.from',
  'Array.of', 'Object.fromEntries', 'Object.getOwnPropertySymbols', 'Object.getOwnPropertyDescriptors',
  'String.raw', 'String.fromCodePoint', 'Promise.allSettled', 'Promise.any', '.lastIndexOf', '.flat',
  '.flatMap', '.finally', '.replaceAll', '.matchAll', '.codePointAt', '.trimStart', '.trimEnd',
  '.at', '.padEnd', '.normalize', '.localeCompare', '.toLocaleString', '.copyWithin', '.findLast',
  '.findLastIndex', '.toSorted', '.toReversed', '.toSpliced', '.with', '.hasOwn', '.groupBy',
]);

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

function memberName(node: AnyNode): string | null {
  if (node.computed) {
    return node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : null;
  }
  return node.property.type === 'Identifier' ? node.property.name : null;
}

/** Names declared anywhere in the program. Minified code reuses short names across scopes, so
 * a name declared anywhere is treated as local everywhere: that can only miss a global that a
 * local shadows somewhere, never invent one. */
function declaredNames(ast: Node): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: AnyNode | null): void => {
    if (!p) return;
    if (p.type === 'Identifier') names.add(p.name);
    else if (p.type === 'AssignmentPattern') addPattern(p.left);
    else if (p.type === 'RestElement') addPattern(p.argument);
    else if (p.type === 'ArrayPattern') p.elements.forEach(addPattern);
    else if (p.type === 'ObjectPattern') p.properties.forEach((q: AnyNode) => addPattern(q.type === 'RestElement' ? q : q.value));
  };
  full(ast, (n) => {
    const node = n as AnyNode;
    switch (node.type) {
      case 'VariableDeclarator': addPattern(node.id); break;
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression':
        if (node.id) names.add(node.id.name);
        node.params.forEach(addPattern);
        break;
      case 'ClassDeclaration': case 'ClassExpression': if (node.id) names.add(node.id.name); break;
      case 'CatchClause': addPattern(node.param); break;
    }
  });
  return names;
}

/** Identifiers in reference position (not property keys, member names or declarations). */
function referencedIdentifiers(ast: Node, visit: (id: AnyNode) => void): void {
  ancestor(ast, {
    Identifier(n, _state, ancestors) {
      const node = n as AnyNode;
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      if (!parent) return;
      if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
      if ((parent.type === 'Property' || parent.type === 'MethodDefinition') && parent.key === node && !parent.computed) {
        if (!(parent.type === 'Property' && parent.shorthand)) return;
      }
      if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return;
      visit(node);
    },
  });
}

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

export function checkBundle(source: string): GateViolation[] {
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
      case 'MemberExpression': {
        const name = memberName(node);
        if (name === null) break;
        const objectName = node.object.type === 'Identifier' ? node.object.name : '';
        if (FORBIDDEN_MEMBERS.has('.' + name) || FORBIDDEN_MEMBERS.has(objectName + '.' + name)) {
          out.push({ rule: 'member', message: (objectName ? objectName + '.' : '.') + name + ' is not in Espruino', offset: at });
        }
        break;
      }
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const arg = node.arguments[0];
          if (node.arguments.length !== 1 || arg.type !== 'Literal' || !ESPRUINO_MODULES.has(arg.value)) {
            out.push({ rule: 'require', message: 'require of something the board does not have', offset: at });
          }
        }
        break;
    }
  });

  const locals = declaredNames(ast);
  referencedIdentifiers(ast, (id) => {
    const name = id.name as string;
    if (locals.has(name) || ESPRUINO_GLOBALS.has(name)) return;
    if (/^[A-H][0-9]{1,2}$/.test(name)) return; // pin names such as B6, A10
    out.push({ rule: 'global', message: `global ${name} is not offered by Espruino`, offset: id.start });
  });

  hoistingViolations(ast, out);
  out.sort((a, b) => a.offset - b.offset);
  return out;
}

/** A one-line-per-violation report with a little context from the bundle. */
export function formatViolations(source: string, violations: GateViolation[]): string {
  return violations
    .map((v) => `  [${v.rule}] ${v.message} at offset ${v.offset}: ${JSON.stringify(source.slice(v.offset, v.offset + 60))}`)
    .join('\n');
}

