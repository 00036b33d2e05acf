// What esbuild may emit for Espruino: every JS feature Espruino lacks is marked unsupported,
// so esbuild lowers it or fails the build. The gate (espruino-gate.ts) then checks the output.
// Source: docs/espruino-subset.md (copied facts, see firmware/README.md).

export const ESPRUINO_UNSUPPORTED = [
  'async-await', 'async-generator', 'for-await', 'generator', 'for-of', 'bigint',
  'destructuring', 'default-argument', 'rest-argument', 'array-spread', 'object-rest-spread',
  'nested-rest-binding', 'optional-chain', 'nullish-coalescing', 'logical-assignment',
  'exponent-operator', 'class-field', 'class-private-field', 'class-private-method',
  'class-private-accessor', 'class-private-brand-check', 'class-private-static-field',
  'class-private-static-method', 'class-private-static-accessor', 'class-static-field',
  'class-static-blocks', 'decorators', 'optional-catch-binding', 'new-target', 'import-meta',
  'dynamic-import', 'top-level-await', 'using', 'regexp-dot-all-flag',
  'regexp-lookbehind-assertions', 'regexp-match-indices', 'regexp-named-capture-groups',
  'regexp-set-notation', 'regexp-sticky-and-unicode-flags', 'regexp-unicode-property-escapes',
  'unicode-escapes',
  // Arrow functions: Espruino 2v29 fails an internal assertion (jsvar.c, jsvHasChildren) when it
  // skips, unexecuted, an arrow function that uses `this` (`if (x) f(() => this.y)` with x false;
  // measured on ../shared/espruino). esbuild lowers them to functions (+~0.7 KB); in device bundles
  // arrow-functions.ts writes back as arrows those that use neither `this` nor `arguments`.
  'arrow',
] as const;

export const ESPRUINO_SUPPORTED: Record<string, boolean> = Object.fromEntries(
  ESPRUINO_UNSUPPORTED.map((feature) => [feature, false]),
);
