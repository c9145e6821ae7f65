import { describe, expect, it } from 'vitest';
import { consoleBlocks } from './console-blocks.js';

const md = (...lines: string[]) => lines.join('\n');

describe('consoleBlocks', () => {
  it('reads commands, continuation lines and expected output of console blocks only', () => {
    const text = md(
      '```sh',
      '$ not-run',
      '```',
      '```console',
      '$ curl -s http://x \\',
      '    -H "a: b"',
      '{"ok":true}',
      '$ echo done',
      'done',
      '```',
    );
    expect(consoleBlocks(text, 'README.md')).toEqual([
      {
        line: 4,
        commands: [
          { command: 'curl -s http://x \\\n    -H "a: b"', expected: ['{"ok":true}'], line: 5 },
          { command: 'echo done', expected: ['done'], line: 8 },
        ],
      },
    ]);
  });

  it('marks a block skipped with its reason', () => {
    const text = md('<!-- doc-test: skip: needs Docker -->', '```console', '$ npm run cluster:up', '```');
    expect(consoleBlocks(text, 'README.md')[0]).toMatchObject({ skip: 'needs Docker' });
  });

  it('refuses a skip without a reason, a misplaced skip and an unclosed block, naming the line', () => {
    expect(() => consoleBlocks(md('<!-- doc-test: skip -->', '```console', '$ x', '```'), 'R.md')).toThrow(
      'R.md:1: doc-test skip needs a reason ("<!-- doc-test: skip: why -->")',
    );
    expect(() => consoleBlocks(md('<!-- doc-test: skip: why -->', '', '```console', '```'), 'R.md')).toThrow(
      'R.md:1: a doc-test skip comment must sit right above a ```console block',
    );
    expect(() => consoleBlocks(md('text', '```console', '$ x'), 'R.md')).toThrow(
      'R.md:2: ```console block is never closed',
    );
  });
});
