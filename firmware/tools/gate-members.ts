// The gate's member check: every `a.b` of the bundle against the generated member table
// (member-table/espruino-members.json), with a small type inference.
//
// What an expression holds is known when it is a global of the table (Object, Math, E, Serial1,
// a pin), a literal (string, number, array, `arguments`), `new G(...)` of a table constructor,
// `G.prototype`, `require('<module>')`, the result of a few members whose result type is fixed
// (slice, subarray, toString, ...), or a variable that is declared once from such an expression
// and never assigned again (so `const o = Object; o.freeze` is `Object.freeze`). A member of a
// known built-in must be in the table for that built-in, on every target board.
//
// Everything else (parameters, `this`, results of bundle functions, option objects) is unknown.
// The rule there: a name that a JavaScript engine's built-ins answer to (V8's list) must exist on
// SOME Espruino built-in, or be a property the bundle itself defines (an object key, a class
// member, an assignment `x.name = ...`). So a V8-only name (`freeze`, `toPrecision`, `search`,
// `allSettled`) is reported wherever it is used; a name no engine knows (`nfc`, `onMessage`) is
// the bundle's own data and passes. Not sound for a built-in whose type the checker cannot see
// (`x.padEnd` with x an Uint8Array passes: Strings have padEnd): the price of no annotations.

import type { Node } from 'acorn';
import { full } from 'acorn-walk';
import type { EspruinoApi } from './member-table/espruino-api';
import type { Binding, Scopes } from './gate-scopes';
import { v8Names } from './member-table/v8-names';

type AnyNode = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ValueType =
  | { kind: 'global'; name: string } // the value of a table global (Object, Math, E, Serial1)
  | { kind: 'instance'; type: string } // an instance of a built-in (String, Uint8Array, Pin)
  | { kind: 'module'; name: string } // require('crypto')
  | { kind: 'unknown' };

const UNKNOWN: ValueType = { kind: 'unknown' };

/** Members whose result is of a known type, whatever the receiver. */
const RESULT_TYPES: Record<string, string> = {
  toString: 'String', join: 'String', charAt: 'String', toUpperCase: 'String', toLowerCase: 'String',
  trim: 'String', substring: 'String', substr: 'String', padStart: 'String', padEnd: 'String', repeat: 'String',
  fromCharCode: 'String', toFixed: 'String', charCodeAt: 'Number', indexOf: 'Number', lastIndexOf: 'Number',
  toUint8Array: 'Uint8Array',
};
/** Members whose result has the receiver's type (slice of a string is a string). */
const SAME_TYPE = new Set(['slice', 'subarray', 'concat', 'map', 'filter', 'replace', 'replaceAll']);
const NUMBER_OPERATORS = new Set(['-', '*', '/', '%', '|', '&', '^', '<<', '>>', '>>>']);
const BOOLEAN_OPERATORS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'instanceof', 'in']);

export interface MemberViolation {
  message: string;
  offset: number;
}

function memberName(node: AnyNode): string | null {
  if (node.computed) return node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : null;
  return node.property.type === 'Identifier' ? node.property.name : null;
}

/** Property names the bundle defines for its own objects. */
function bundleDefinedNames(ast: Node): Set<string> {
  const names = new Set<string>();
  const key = (n: AnyNode) => {
    if (!n.computed && n.key?.type === 'Identifier') names.add(n.key.name);
    else if (n.key?.type === 'Literal') names.add(String(n.key.value));
  };
  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type === 'Property' || node.type === 'MethodDefinition' || node.type === 'PropertyDefinition') key(node);
    else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression') {
      const name = memberName(node.left);
      if (name !== null) names.add(name);
    } else if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && memberName(node.callee) === 'defineProperty') {
      const arg = node.arguments[1];
      if (arg && arg.type === 'Literal') names.add(String(arg.value));
    }
  });
  return names;
}

export function checkMembers(ast: Node, scopes: Scopes, api: EspruinoApi): MemberViolation[] {
  const out: MemberViolation[] = [];
  const defined = bundleDefinedNames(ast);
  const engineNames = new Set(v8Names());
  const boards = api.boards.join(' + ');
  const resolving = new Set<Binding>();

  const bindingType = (b: Binding): ValueType => {
    // Only a name declared once, with a value, and never assigned again has a known value.
    if (b.writes > 0 || b.node.type !== 'VariableDeclarator' || !b.node.init || b.node.id.type !== 'Identifier') return UNKNOWN;
    if (resolving.has(b)) return UNKNOWN;
    resolving.add(b);
    const t = typeOf(b.node.init);
    resolving.delete(b);
    return t;
  };

  const typeOf = (e: AnyNode): ValueType => {
    switch (e.type) {
      case 'Identifier': {
        const b = scopes.bindingOf(e);
        if (b) return b.kind === 'param' && e.name === 'arguments' ? { kind: 'instance', type: 'Array' } : bindingType(b);
        if (api.globals.has(e.name)) return { kind: 'global', name: e.name };
        if (api.pins.has(e.name)) return { kind: 'instance', type: 'Pin' };
        return UNKNOWN;
      }
      case 'Literal':
        if (typeof e.value === 'string') return { kind: 'instance', type: 'String' };
        if (typeof e.value === 'number') return { kind: 'instance', type: 'Number' };
        if (typeof e.value === 'boolean') return { kind: 'instance', type: 'Boolean' };
        if (e.regex) return { kind: 'instance', type: 'RegExp' };
        return UNKNOWN;
      case 'TemplateLiteral': return { kind: 'instance', type: 'String' };
      case 'ArrayExpression': return { kind: 'instance', type: 'Array' };
      case 'NewExpression': {
        const c = typeOf(e.callee);
        return c.kind === 'global' && api.instances.has(c.name) ? { kind: 'instance', type: c.name } : UNKNOWN;
      }
      case 'MemberExpression': {
        const name = memberName(e);
        const o = typeOf(e.object);
        if (name === 'prototype' && o.kind === 'global' && api.instances.has(o.name)) return { kind: 'instance', type: o.name };
        if (name === 'length' && o.kind === 'instance') return { kind: 'instance', type: 'Number' };
        return UNKNOWN;
      }
      case 'CallExpression': {
        if (e.callee.type === 'Identifier' && e.callee.name === 'require' && !scopes.bindingOf(e.callee)) {
          const a = e.arguments[0];
          return a && a.type === 'Literal' && api.modules.has(a.value) ? { kind: 'module', name: a.value } : UNKNOWN;
        }
        if (e.callee.type !== 'MemberExpression') return UNKNOWN;
        const name = memberName(e.callee);
        if (name === null) return UNKNOWN;
        if (RESULT_TYPES[name]) return { kind: 'instance', type: RESULT_TYPES[name] };
        const o = typeOf(e.callee.object);
        return SAME_TYPE.has(name) && o.kind === 'instance' ? o : UNKNOWN;
      }
      case 'BinaryExpression':
        if (NUMBER_OPERATORS.has(e.operator)) return { kind: 'instance', type: 'Number' };
        if (BOOLEAN_OPERATORS.has(e.operator)) return { kind: 'instance', type: 'Boolean' };
        if (e.operator === '+') {
          const l = typeOf(e.left);
          const r = typeOf(e.right);
          const isString = (t: ValueType) => t.kind === 'instance' && t.type === 'String';
          if (isString(l) || isString(r)) return { kind: 'instance', type: 'String' };
        }
        return UNKNOWN;
      case 'UnaryExpression':
        if (e.operator === '!' || e.operator === 'delete') return { kind: 'instance', type: 'Boolean' };
        if (e.operator === 'typeof') return { kind: 'instance', type: 'String' };
        if (e.operator === '-' || e.operator === '+' || e.operator === '~') return { kind: 'instance', type: 'Number' };
        return UNKNOWN;
      case 'AssignmentExpression': return e.operator === '=' ? typeOf(e.right) : UNKNOWN;
      case 'SequenceExpression': return typeOf(e.expressions[e.expressions.length - 1]);
      case 'ParenthesizedExpression': return typeOf(e.expression);
      case 'ConditionalExpression': case 'LogicalExpression': {
        const a = typeOf(e.type === 'ConditionalExpression' ? e.consequent : e.left);
        const b = typeOf(e.type === 'ConditionalExpression' ? e.alternate : e.right);
        return JSON.stringify(a) === JSON.stringify(b) ? a : UNKNOWN;
      }
      default: return UNKNOWN;
    }
  };

  const membersOf = (t: ValueType): ReadonlySet<string> | undefined => {
    if (t.kind === 'global') return api.statics.get(t.name) ?? (api.types.has(t.name) ? api.instances.get(api.types.get(t.name)!) : undefined);
    if (t.kind === 'instance') return api.instances.get(t.type);
    if (t.kind === 'module') return api.modules.get(t.name);
    return undefined;
  };
  const label = (t: ValueType): string =>
    t.kind === 'global' ? t.name : t.kind === 'instance' ? `(a ${t.type})` : t.kind === 'module' ? `require('${t.name}')` : '(unknown)';

  const assigned = new Set<AnyNode>();
  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'MemberExpression') assigned.add(node.left);
  });
  full(ast, (n) => {
    const node = n as AnyNode;
    if (node.type !== 'MemberExpression' || assigned.has(node)) return;
    const name = memberName(node);
    if (name === null || /^[0-9]+$/.test(name)) return; // computed index: any
    const t = typeOf(node.object);
    const members = membersOf(t);
    if (members) {
      if (!members.has(name)) out.push({ message: `${label(t)}.${name} is not in Espruino (${boards})`, offset: node.start });
    } else if (engineNames.has(name) && !api.anyMember.has(name) && !defined.has(name)) {
      out.push({ message: `.${name} (on a value the gate cannot type) is a JavaScript built-in no Espruino built-in has, and the bundle does not define it`, offset: node.start });
    }
  });
  return out;
}
