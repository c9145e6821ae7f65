import { describe, expect, it } from 'vitest';
import { query, UnknownKeyError } from './query.js';

describe('query: Kyverno missing-key rule', () => {
  const data = { request: { object: { metadata: { name: 'a' } } } };
  it('errors on a missing key on the main path, null where Kyverno swallows it', () => {
    expect(() => query('request.object.metadata.labels.app', data)).toThrow(UnknownKeyError);
    expect(() => query('request.object.metadata.labels.app', data)).toThrow('Unknown key "labels" in path');
    expect(query("request.object.metadata.labels.app || 'none'", data)).toBe('none');
    expect(query('length(request.object.metadata.labels || `{}`)', data)).toBe(0);
    expect(query('request.object.metadata.name', data)).toBe('a');
  });
  it('registers Kyverno functions over the built-ins', () => {
    expect(query("split('a,b', ',')", {})).toEqual(['a', 'b']);
    expect(query("add('1Gi', '512Mi')", {})).toBe('1536Mi');
    expect(query("subtract('1h', '30s')", {})).toBe('59m30s');
    // Quantities parse first, so '30m' is 30 milli and cannot meet a duration.
    expect(() => query("subtract('1h', '30m')", {})).toThrow("JMESPath function 'subtract': types mismatch");
    expect(query('sum(`[1, 2, 3]`)', {})).toBe(6);
    expect(query('items(`{"b": 1, "a": 2}`, \'k\', \'v\')', {})).toEqual([
      { k: 'a', v: 2 },
      { k: 'b', v: 1 },
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Go regexp template, not a JS one
    expect(query("regex_replace_all('([a-z]+)-(\\d+)', 'web-42', '${2}-$1')", {})).toBe('42-web');
    expect(() => query("to_boolean('yes')", {})).toThrow(
      "lowercase argument must be 'true' or 'false' (provided: 'yes')",
    );
  });
});
