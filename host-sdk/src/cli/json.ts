// JSON on stdout and in report.json: bytes as hex (digests, challenges), Maps as objects.

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v instanceof Map ? Object.fromEntries(v) : v), 2) + '\n';
}
