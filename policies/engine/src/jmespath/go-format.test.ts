import { describe, expect, it } from 'vitest';
import { goFloatE, goFloatString, parseGoDuration } from './go-format.js';
import { imageInfo } from './images.js';

describe('Go formatting', () => {
  it('prints floats and parses durations like Go', () => {
    expect(goFloatString(80)).toBe('80');
    expect(goFloatString(1e6)).toBe('1e+06');
    expect(goFloatE(80)).toBe('8E+01');
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('5')).toBeUndefined();
  });
  it('builds the images variable with docker.io defaults', () => {
    expect(imageInfo('nginx')).toEqual({
      registry: 'docker.io',
      name: 'nginx',
      path: 'nginx',
      tag: 'latest',
      reference: 'docker.io/nginx:latest',
      referenceWithTag: 'docker.io/nginx:latest',
    });
  });
});
