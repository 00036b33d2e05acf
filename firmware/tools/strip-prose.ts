// Device bundles carry no error prose: the host already words an error from its code
// (host-sdk read-operation: 'the reader reported <code>' when the message is empty), and the
// sentences cost flash (issue #14). Codes, status words and file ids stay; only text goes:
//   new IcaoError(code, <text>, sw)            -> new IcaoError(code, "", sw)
//   new IcaoError(code, <text>)                -> new IcaoError(code)       (and Pn532Error)
//   new Error(<text>) / RangeError / TypeError -> new Error("")
//   helper(..., <text>, ...)                   -> helper(..., "", ...)
//   helper(..., <text>)                        -> helper(...)
// where <text> is an argument containing a string literal, and a helper is a function of the
// bundle's top scope, or a method, whose parameter is used only to build such a message
// (errorForStatus(sw, what), SecureMessagingChannel._smFailure(message), ...). A last argument
// goes altogether (3 stored bytes each, ~90 in the Pico bundle) where that changes nothing: the
// coded error classes set `message || ''`, and a helper's parameter left with no use. Runs on
// esbuild's output, parsed with acorn; names are resolved through the enclosing scopes.

import { parse } from 'acorn';
import { ancestor, full as acornFull } from 'acorn-walk';

type Node = { type: string; start: number; end: number } & Record<string, unknown>;

const PLAIN_ERRORS = ['Error', 'RangeError', 'TypeError'];
const FUNCTION_TYPES = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];

interface FunctionDef {
  name: string;
  params: string[];
  body: Node;
  /** A function of the top scope (called by name) rather than a method. */
  bare: boolean;
}

interface Scan {
  /** Callee name -> argument positions that are message text. */
  sinks: Map<string, Set<number>>;
  /** The coded error classes (IcaoError, Pn532Error) by their bundle names. */
  icao: Set<string>;
  /** Those whose constructor takes a missing message as '' (`message || ''`). */
  tolerant: Set<string>;
  /** Helpers by callee name (`.name` for methods). */
  helpers: Map<string, FunctionDef[]>;
  top: Node;
}

/** A message argument, its call and the callee's name as in Scan.sinks. */
interface MessageArg {
  arg: Node;
  call: Node;
  name: string;
}

/** The coded error classes of the bundle, told by their `name` field. */
const CODED_ERRORS = /"(IcaoError|Pn532Error)"/;

/** acorn-walk's full walk over our loose node type. */
function full(n: Node | unknown, callback: (n: Node) => void): void {
  acornFull(n as never, callback as never);
}

const declared = new WeakMap<Node, Set<string>>();

/** Names bound directly in a function: parameters and declarations outside nested functions. */
function bindingsOf(fn: Node): Set<string> {
  let names = declared.get(fn);
  if (names) return names;
  const found = new Set<string>();
  const add = (id: unknown) => {
    const n = id as Node | null;
    if (n?.type === 'Identifier') found.add(n.name as string);
  };
  for (const p of fn.params as Node[]) full(p, (n: Node) => add(n));
  const visit = (n: Node, root: boolean): void => {
    if (!root && FUNCTION_TYPES.includes(n.type)) {
      if (n.type === 'FunctionDeclaration') add(n.id);
      return;
    }
    if (n.type === 'VariableDeclarator') full(n.id, (c: Node) => add(c));
    if (n.type === 'ClassDeclaration') add(n.id);
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) for (const c of v) if (c && typeof c.type === 'string') visit(c, false);
      if (v && typeof v === 'object' && typeof (v as Node).type === 'string' && !Array.isArray(v)) visit(v as Node, false);
    }
  };
  visit(fn.body as Node, false);
  names = found;
  declared.set(fn, names);
  return names;
}

/** A bare `name` at a node with these ancestors means the top scope's binding. */
function resolvesToTop(name: string, ancestors: Node[], top: Node): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a === top) return bindingsOf(top).has(name);
    if (FUNCTION_TYPES.includes(a.type) && bindingsOf(a).has(name)) return false;
    if (a.type === 'CatchClause' && (a.param as Node | null)?.name === name) return false;
  }
  return false;
}

function containsString(n: Node): boolean {
  let found = false;
  full(n, (c: Node) => {
    if ((c.type === 'Literal' && typeof c.value === 'string') || c.type === 'TemplateLiteral') found = true;
  });
  return found;
}

function countRefs(n: Node, name: string): number {
  let count = 0;
  full(n, (c: Node) => {
    if (c.type === 'Identifier' && c.name === name) count++;
  });
  return count;
}

/** The arguments in a message position of a known sink (`root`: the whole program, so that
 * names resolve through every enclosing scope). */
function messageArgs(root: Node, s: Scan): MessageArg[] {
  const out: MessageArg[] = [];
  const visit = (n: Node, _state: unknown, ancestors: Node[]) => {
    const callee = n.callee as Node;
    let name: string;
    if (callee.type === 'Identifier') {
      name = callee.name as string;
      const isClass = PLAIN_ERRORS.includes(name) || s.icao.has(name);
      if (isClass !== (n.type === 'NewExpression')) return;
      if (!PLAIN_ERRORS.includes(name) && !resolvesToTop(name, ancestors, s.top)) return;
    } else if (callee.type === 'MemberExpression' && !callee.computed && n.type === 'CallExpression') {
      name = (callee.property as Node).name as string;
      if (!s.sinks.has('.' + name)) return;
      name = '.' + name;
    } else return;
    const at = s.sinks.get(name);
    const args = n.arguments as Node[];
    if (at) for (const k of at) if (args[k]) out.push({ arg: args[k], call: n, name });
  };
  ancestor(root as never, { NewExpression: visit, CallExpression: visit } as never);
  return out;
}

/** `inside` plus the initialisers of locals used only inside it (`let text = what + ...`). */
function withMessageLocals(body: Node, inside: Node[]): Node[] {
  const out = [...inside];
  full(body, (n: Node) => {
    const id = n.id as Node | undefined;
    if (n.type !== 'VariableDeclarator' || !n.init || id?.type !== 'Identifier') return;
    const uses = countRefs(body, id.name as string) - 1;
    if (uses > 0 && inside.reduce((k, a) => k + countRefs(a, id.name as string), 0) === uses) out.push(n.init as Node);
  });
  return out;
}

function scan(ast: Node, source: string): Scan {
  // The bundle is `var Firmware=(function(){...})()` after a small banner: its largest function.
  let top: Node | null = null;
  full(ast, (n: Node) => {
    if (FUNCTION_TYPES.includes(n.type) && (!top || n.end - n.start > top.end - top.start)) top = n;
  });
  if (!top) throw new Error('strip-prose: no top function in the bundle');
  const topFn: Node = top;
  const icao = new Set<string>();
  const tolerant = new Set<string>();
  const codedClass = (name: string, cls: Node) => {
    icao.add(name);
    if (/\.message=[\w$]+\|\|""/.test(source.slice(cls.start, cls.end))) tolerant.add(name);
  };
  const defs: FunctionDef[] = [];
  const plainProps = new Set<string>();
  const params = (fn: Node) => (fn.params as Node[]).map((p) => (p.type === 'Identifier' ? (p.name as string) : ''));
  const inTop = (anc: Node[]) => anc.slice(0, -1).filter((a) => FUNCTION_TYPES.includes(a.type)).pop() === topFn;
  ancestor(ast as never, {
    FunctionDeclaration(n: Node, _s: unknown, anc: Node[]) {
      if (inTop(anc)) defs.push({ name: (n.id as Node).name as string, params: params(n), body: n.body as Node, bare: true });
    },
    VariableDeclarator(n: Node, _s: unknown, anc: Node[]) {
      const init = n.init as Node | null;
      const id = n.id as Node;
      if (!init || id.type !== 'Identifier' || !inTop(anc)) return;
      if (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression') {
        defs.push({ name: id.name as string, params: params(init), body: init.body as Node, bare: true });
      }
      if (init.type === 'ClassExpression' && CODED_ERRORS.test(source.slice(init.start, init.end))) codedClass(id.name as string, init);
    },
    ClassDeclaration(n: Node, _s: unknown, anc: Node[]) {
      if (inTop(anc) && CODED_ERRORS.test(source.slice(n.start, n.end))) codedClass((n.id as Node).name as string, n);
    },
    MethodDefinition(n: Node) {
      const key = n.key as Node;
      const fn = n.value as Node;
      if (key.type === 'Identifier' && !n.computed) defs.push({ name: '.' + (key.name as string), params: params(fn), body: fn.body as Node, bare: false });
    },
    Property(n: Node) {
      const key = n.key as Node;
      const value = n.value as Node;
      if (key.type !== 'Identifier' || n.computed) return;
      if (value.type === 'FunctionExpression' || value.type === 'ArrowFunctionExpression') {
        defs.push({ name: '.' + (key.name as string), params: params(value), body: value.body as Node, bare: false });
      } else plainProps.add('.' + (key.name as string));
    },
    AssignmentExpression(n: Node) {
      const left = n.left as Node;
      if (left.type === 'MemberExpression' && !left.computed) plainProps.add('.' + ((left.property as Node).name as string));
    },
  } as never);
  if (icao.size === 0) throw new Error('strip-prose: no IcaoError class in the bundle');
  const s: Scan = { sinks: new Map(), icao, tolerant, helpers: new Map(), top: topFn };
  for (const name of icao) s.sinks.set(name, new Set([1]));
  for (const name of PLAIN_ERRORS) s.sinks.set(name, new Set([0]));
  const byName = s.helpers;
  for (const d of defs) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  // Grow the sinks until no helper is added: a helper of a helper is a helper.
  for (let changed = true; changed;) {
    changed = false;
    const all = messageArgs(ast, s).map((m) => m.arg);
    for (const [name, group] of byName) {
      // A name defined twice in the top scope, or a method name also used for data, is left alone.
      if ((group[0].bare && group.length !== 1) || plainProps.has(name)) continue;
      for (let k = 0; k < group[0].params.length; k++) {
        if (s.sinks.get(name)?.has(k)) continue;
        const textOnly = group.every((d) => {
          const p = d.params[k];
          if (!p) return false;
          const inside = withMessageLocals(d.body, all.filter((a) => a.start >= d.body.start && a.end <= d.body.end));
          const uses = countRefs(d.body, p);
          return uses > 0 && inside.reduce((n, a) => n + countRefs(a, p), 0) === uses;
        });
        if (textOnly) {
          s.sinks.set(name, new Set([...(s.sinks.get(name) ?? []), k]));
          changed = true;
        }
      }
    }
  }
  return s;
}

export function stripErrorProse(source: string): string {
  const ast = parse(source, { ecmaVersion: 2022, sourceType: 'script' }) as unknown as Node;
  const found = scan(ast, source);
  const messages = messageArgs(ast, found);
  const args = messages.map((m) => m.arg);
  // And locals that only feed a message (errorForStatus: `let text = what + ': status ' + ...`).
  // Per function with a message inside (the bundle's top scope holds no such local).
  const locals: Node[] = [];
  const seen = new Set<Node>();
  ancestor(ast as never, {
    VariableDeclarator(n: Node, _s: unknown, anc: Node[]) {
      const fn = anc.slice(0, -1).filter((a) => FUNCTION_TYPES.includes(a.type)).pop();
      if (!fn || fn === found.top || seen.has(fn)) return;
      seen.add(fn);
      const body = fn.body as Node;
      const inBody = args.filter((a) => a.start >= body.start && a.end <= body.end);
      if (inBody.length) locals.push(...withMessageLocals(body, inBody).slice(inBody.length));
    },
  } as never);
  const cuts = [...args, ...locals].filter(containsString);
  // Outermost first; a cut inside another goes with it.
  cuts.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Node[] = [];
  for (const c of cuts) if (!kept.length || c.start >= kept[kept.length - 1].end) kept.push(c);
  const edits = kept.map((c) => ({ start: c.start, end: c.end, text: '""' }));
  const cut = new Set(kept);
  for (const m of messages) {
    const list = m.call.arguments as Node[];
    const k = list.length - 1;
    if (!cut.has(m.arg) || list[k] !== m.arg || !droppable(m, k, found, kept)) continue;
    const e = edits.find((x) => x.start === m.arg.start)!;
    e.start = k > 0 ? list[k - 1].end : m.arg.start; // with its comma
    e.text = '';
  }
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Whether the cut last argument `k` of a message call can go: a coded error class that takes a
 * missing message as '', or a helper whose parameter has no use left outside the cuts. */
function droppable(m: MessageArg, k: number, s: Scan, cuts: Node[]): boolean {
  if (s.icao.has(m.name)) return s.tolerant.has(m.name);
  if (PLAIN_ERRORS.includes(m.name)) return false; // Espruino's new Error() has message undefined
  const group = s.helpers.get(m.name);
  if (!group) return false;
  return group.every((d) => {
    const p = d.params[k];
    if (!p) return false;
    const inCuts = cuts.filter((c) => c.start >= d.body.start && c.end <= d.body.end).reduce((n, c) => n + countRefs(c, p), 0);
    return countRefs(d.body, p) === inCuts;
  });
}
