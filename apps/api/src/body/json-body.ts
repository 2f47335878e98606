/** The deepest nesting of objects and arrays a JSON body may have (no DTO needs more than a few levels). */
export const JSON_MAX_DEPTH = 32;

/** Keys that reach an object's prototype when a library copies or merges a parsed body. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON body that is well-formed but refused (too deep, or a key that could poison a prototype). */
export class JsonBodyRefusedError extends Error {
  override readonly name = 'JsonBodyRefusedError';
}

/**
 * The nesting depth of a JSON text, scanned without parsing (so a deep body never reaches a recursive
 * parser or validator); stops counting once past `limit`. Brackets inside strings do not count.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** The first forbidden key anywhere in a parsed value (depth already bounded), as a path such as `payload.__proto__`. */
function forbiddenKeyPath(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return at;
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return null;
}

/**
 * Parses a JSON request body, refusing (JsonBodyRefusedError) nesting deeper than JSON_MAX_DEPTH and the
 * keys `__proto__`, `constructor` and `prototype` at any level. A syntax error is thrown as JSON.parse
 * throws it. An empty body reads as `{}`.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return {};
  if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) {
    throw new JsonBodyRefusedError(
      `The request body nests objects or arrays more than ${JSON_MAX_DEPTH} levels deep; send a flatter JSON body.`,
    );
  }
  const value: unknown = JSON.parse(text);
  const key = forbiddenKeyPath(value, '');
  if (key) {
    throw new JsonBodyRefusedError(
      `The request body contains the key "${key}"; the keys __proto__, constructor and prototype are not accepted anywhere in a body. Rename or remove it.`,
    );
  }
  return value;
}
