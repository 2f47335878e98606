import { JSON_MAX_DEPTH, JsonBodyRefusedError, jsonDepthExceeds, parseJsonBody } from './json-body';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('parseJsonBody', () => {
  it('reads an empty body as {} and a normal body as JSON.parse does', () => {
    expect(parseJsonBody('')).toEqual({});
    expect(parseJsonBody('{"a":[1,{"b":"x"}]}')).toEqual({ a: [1, { b: 'x' }] });
  });

  it(`accepts ${JSON_MAX_DEPTH} levels and refuses one more, whatever the brackets inside strings say`, () => {
    expect(parseJsonBody(nested(JSON_MAX_DEPTH))).toBeDefined();
    expect(() => parseJsonBody(nested(JSON_MAX_DEPTH + 1))).toThrow(JsonBodyRefusedError);
    expect(() => parseJsonBody(nested(100_000))).toThrow(/more than 32 levels deep/);
    expect(jsonDepthExceeds(JSON.stringify({ s: '[[[[[[\\"{{{{{{' }), 2)).toBe(false);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any level, naming where', (key) => {
    expect(() => parseJsonBody(`{"${key}":{"isAdmin":true}}`)).toThrow(JsonBodyRefusedError);
    expect(() => parseJsonBody(`{"a":[{"b":{"${key}":1}}]}`)).toThrow(`"a[0].b.${key}"`);
  });

  it('lets a syntax error through as a SyntaxError', () => {
    expect(() => parseJsonBody('{"a":')).toThrow(SyntaxError);
  });
});
