import { describe, expect, it } from 'vitest';
import { CelCompileError, compileExpression } from './compile.js';
import { resourceScope } from './lib/kyverno.js';

const run = (expression: string, activation: Record<string, unknown> = {}) =>
  compileExpression(expression)({
    object: null,
    oldObject: null,
    request: null,
    params: null,
    namespaceObject: null,
    authorizer: null,
    variables: {},
    exceptions: {},
    ...activation,
  });

describe('CEL environment', () => {
  it('compares YAML doubles with int literals (cross-type numeric comparisons)', () => {
    expect(run('object.n == 3 && object.n >= 2 && 1 == 1.0', { object: { n: 3 } })).toBe(true);
  });

  it('reports a missing field as an error and has()/optional chaining as guards', () => {
    expect(() => run('object.spec.missing', { object: { spec: {} } })).toThrow(/No such key: missing/);
    expect(run('has(object.spec.missing)', { object: { spec: {} } })).toBe(false);
    expect(run("object.spec.?missing.orValue('d')", { object: { spec: {} } })).toBe('d');
    expect(run("object.m[?'k'].orValue('none')", { object: { m: {} } })).toBe('none');
  });

  it('applies Kyverno orValue compat: non-optional receiver returns itself, an error returns the default', () => {
    expect(run('object.a.orValue(9)', { object: { a: 1 } })).toBe(1);
    expect(run('object.b.orValue(9)', { object: { a: 1 } })).toBe(9n);
  });

  it('fails to compile invalid syntax and unknown functions with the expression named', () => {
    expect(() => compileExpression('object.(')).toThrow(CelCompileError);
    expect(() => compileExpression('globalContext.Get("x", "")')).toThrow(CelCompileError);
  });

  it('compiles each expression once', () => {
    expect(compileExpression('1 + 1 == 2')).toBe(compileExpression('1 + 1 == 2'));
  });

  it('has the strings extension', () => {
    expect(run('"a-b-c".replace("-", "_")')).toBe('a_b_c');
    expect(run('"a-b-c".replace("-", "_", 1)')).toBe('a_b-c');
    expect(run('"abc".charAt(1) + "abc".reverse() + "ABC".lowerAscii()')).toBe('bcbaabc');
    expect(run('strings.quote("x")')).toBe('"x"');
  });

  it('has the Kubernetes list library and lists extension', () => {
    expect(run('[1, 2, 3].isSorted() && ![2, 1].isSorted()')).toBe(true);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[3, 1, 2].min() + [3, 1, 2].max()')).toBe(4n);
    expect(run('[1, 2, 3].indexOf(2)')).toBe(1n);
    expect(run('[3, 1, 2].sort()')).toEqual([1n, 2n, 3n]);
    expect(run('[1, 1, 2].distinct()')).toEqual([1n, 2n]);
    expect(run('[1, 2, 3].slice(1, 3)')).toEqual([2n, 3n]);
    expect(run('lists.range(3)')).toEqual([0n, 1n, 2n]);
  });

  it('has the regex library with RE2 syntax', () => {
    expect(run('"abc123".find("[0-9]+")')).toBe('123');
    expect(run('"a1b2".findAll("[0-9]")')).toEqual(['1', '2']);
    expect(run('"Ab".find("(?i)a")')).toBe('A');
    expect(() => run('"a".find("(?=a)")')).toThrow(/regexp/);
  });

  it('has the quantity library', () => {
    expect(run('quantity("1Gi").isGreaterThan(quantity("1000Mi"))')).toBe(true);
    expect(run('quantity("500m").compareTo(quantity("0.5"))')).toBe(0n);
    expect(run('quantity("2").add(quantity("500m")).asApproximateFloat()')).toBe(2.5);
    expect(run('isQuantity("1Gi") && !isQuantity("1GB")')).toBe(true);
  });

  it('has the url, ip and cidr libraries', () => {
    expect(run('url("https://a.example:8443/p?q=1").getPort()')).toBe('8443');
    expect(run('url("https://a.example/p").getHostname()')).toBe('a.example');
    expect(run('isURL("not a url")')).toBe(false);
    expect(run('ip("127.0.0.1").isLoopback() && ip("::1").family() == 6')).toBe(true);
    expect(
      run('cidr("10.0.0.0/8").containsIP("10.1.2.3") && !cidr("10.0.0.0/8").containsIP("11.0.0.1")'),
    ).toBe(true);
    expect(run('cidr("10.0.0.0/8").containsCIDR("10.2.0.0/16")')).toBe(true);
    expect(run('ip("2001:db8:0:0:0:0:0:1").string()')).toBe('2001:db8::1');
  });

  it('has the format and semver libraries', () => {
    expect(run('format.dns1123Label().validate("ok-name").hasValue()')).toBe(false);
    expect(run('format.dns1123Label().validate("Bad_Name").value().size() > 0')).toBe(true);
    expect(run('format.named("uuid").hasValue()')).toBe(true);
    expect(
      run('semver("1.2.3").isLessThan(semver("1.10.0")) && semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))'),
    ).toBe(true);
  });

  it('has math, sets and base64', () => {
    expect(run('math.greatest(1, 5) + math.least(3, 2)')).toBe(7n);
    expect(
      run('sets.contains([1, 2], [2]) && sets.intersects([1], [1, 3]) && sets.equivalent([1, 2], [2, 1])'),
    ).toBe(true);
    expect(run('base64.encode(b"hi")')).toBe('aGk=');
  });

  it('has the Kyverno image, json and yaml functions', () => {
    expect(
      run('image("nginx").registry() + "/" + image("nginx").repository() + ":" + image("nginx").tag()'),
    ).toBe('index.docker.io/library/nginx:latest');
    const digest = `ghcr.io/payday/api@sha256:${'a'.repeat(64)}`;
    expect(run(`image("${digest}").containsDigest() && image("${digest}").registry() == "ghcr.io"`)).toBe(
      true,
    );
    expect(run('isImage("UPPER/case") == false')).toBe(true);
    expect(run('json.unmarshal("{\\"a\\": [1]}").a[0] == 1')).toBe(true);
    expect(run('yaml.parse("a: b").a')).toBe('b');
  });

  it('answers resource.Get/List from the current provider', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'n', labels: { x: 'y' } },
    };
    resourceScope.current = {
      get: (_v, r, ns, name) => (r === 'configmaps' && ns === 'n' && name === 'c' ? cm : undefined),
      list: (_v, r) => (r === 'configmaps' ? [cm] : []),
    };
    expect(run('resource.Get("v1", "configmaps", "n", "c").metadata.name')).toBe('c');
    expect(run('resource.List("v1", "configmaps", "n").items.size()')).toBe(1n);
    expect(run('resource.List("v1", "configmaps", "n", {"x": "z"}).items.size()')).toBe(0n);
    expect(() => run('resource.Get("v1", "configmaps", "n", "missing")')).toThrow(/not found/);
  });
});

describe('RE2 in matches()', () => {
  it('accepts inline flags and named groups, rejects look-around', () => {
    expect(run('"ABC".matches("(?i)^abc$")')).toBe(true);
    expect(run('"x1".matches("(?P<letter>[a-z])[0-9]")')).toBe(true);
    expect(run('object.s.matches("^[a-z]+$")', { object: { s: 'abc' } })).toBe(true);
    expect(() => run('"a".matches("a(?=b)")')).toThrow(/regexp/);
  });
});

describe('Kyverno CEL libraries answered offline', () => {
  const provider = {
    get: (_a: string, _r: string, ns: string, name: string) =>
      name === 'cm'
        ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } }
        : undefined,
    list: () => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { a: 'b' } } }],
    imageData: (image: string) =>
      image === 'ghcr.io/x/y:1' ? { manifest: { annotations: { base: 'z' } } } : undefined,
    httpResponse: (method: string, url: string) =>
      url === 'https://svc.test/ok' ? { body: { allowed: method === 'GET' }, statusCode: 200 } : undefined,
  };
  const withProvider = <T>(f: () => T): T => {
    const saved = resourceScope.current;
    resourceScope.current = provider;
    try {
      return f();
    } finally {
      resourceScope.current = saved;
    }
  };

  it('registers resource.get/list/post next to Get/List/Post (library version 1.18)', () => {
    withProvider(() => {
      expect(run("resource.get('v1', 'configmaps', 'n', 'cm').data.k")).toBe('v');
      expect(run("resource.Get('v1', 'configmaps', 'n', 'cm').data.k")).toBe('v');
      expect(run("size(resource.list('v1', 'configmaps', 'n').items)")).toBe(1n);
      expect(run("size(resource.list('v1', 'configmaps', 'n', {'a': 'c'}).items)")).toBe(0n);
      expect(() => run("resource.get('v1', 'configmaps', 'n', 'other')")).toThrow(
        'configmaps "other" not found in v1 namespace "n"',
      );
      expect(() => run("resource.post('v1', 'configmaps', 'n', {'a': 1})")).toThrow(
        'resource.post v1 configmaps: no API server offline',
      );
    });
  });

  it('answers image.GetMetadata from the image data mocks and errors on an unknown image', () => {
    withProvider(() => {
      expect(run("image.GetMetadata('ghcr.io/x/y:1').manifest.annotations.base")).toBe('z');
      expect(run("image.getMetadata('ghcr.io/x/y:1').manifest.annotations.base")).toBe('z');
      expect(run("image('ghcr.io/x/y:1').tag()")).toBe('1');
      expect(() => run("image.GetMetadata('nginx')")).toThrow(
        'failed to get image data: image data for nginx not found in the context',
      );
    });
  });

  it('answers http.Get/Post from mocks only: an unmocked URL is an error', () => {
    withProvider(() => {
      expect(run("http.Get('https://svc.test/ok').body.allowed")).toBe(true);
      expect(run("http.post('https://svc.test/ok', {'a': 1}).body.allowed")).toBe(false);
      expect(run("http.Client('ca').Get('https://svc.test/ok', {'h': 'v'}).statusCode")).toBe(200);
      expect(() => run("http.Get('https://other.test/')")).toThrow(
        'request failed: GET https://other.test/ is not mocked (offline)',
      );
    });
  });

  it('parses service account usernames (parseServiceAccount, user.parseServiceAccount)', () => {
    expect(run("parseServiceAccount('system:serviceaccount:ns:sa').Name")).toBe('sa');
    expect(run("user.parseServiceAccount('system:serviceaccount:ns:sa').Namespace")).toBe('ns');
    expect(run("parseServiceAccount('alice').Name")).toBe('');
  });
});
