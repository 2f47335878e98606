/**
 * Canonical JSON for hashing: objects with keys sorted by UTF-16 code units (as JavaScript's default
 * sort does), no whitespace, strings escaped as JSON.stringify does, `undefined` members dropped.
 * For the values this application stores (strings, safe integers, booleans, null, arrays, objects)
 * it equals RFC 8785 (JCS), so an outside tool can recompute every hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('Canonical JSON cannot hold a non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
  }
}
