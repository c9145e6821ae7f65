/**
 * The runnable examples of a Markdown file: its ` ```console ` blocks
 * (docs/design/testing.md §Executable docs). A line starting with `$ ` is a command (a trailing `\` continues it on the
 * next line); the lines after it, up to the next command, are its expected output. A block
 * preceded by `<!-- doc-test: skip: REASON -->` is not run, and the reason is required.
 */

export interface DocCommand {
  /** The command as a shell reads it (continuation lines joined with newlines). */
  command: string;
  /** Expected output lines, as written. */
  expected: string[];
  /** 1-based line of the `$ ` in the Markdown file. */
  line: number;
}

export interface ConsoleBlock {
  /** 1-based line of the opening fence. */
  line: number;
  commands: DocCommand[];
  /** Why the block is not run; undefined when it runs. */
  skip?: string;
}

const SKIP = /^<!--\s*doc-test:\s*skip(?::\s*(.*?))?\s*-->\s*$/;

export class DocBlockError extends Error {
  override name = 'DocBlockError';
}

export function consoleBlocks(markdown: string, file: string): ConsoleBlock[] {
  const lines = markdown.split('\n');
  const blocks: ConsoleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const skip = SKIP.exec(lines[i]!.trim());
    if (skip) {
      const next = lines[i + 1]?.trim();
      if (next !== '```console')
        throw new DocBlockError(
          `${file}:${i + 1}: a doc-test skip comment must sit right above a \`\`\`console block`,
        );
      if (!skip[1])
        throw new DocBlockError(
          `${file}:${i + 1}: doc-test skip needs a reason ("<!-- doc-test: skip: why -->")`,
        );
    }
    if (lines[i]!.trim() !== '```console') continue;
    const prev = SKIP.exec(lines[i - 1]?.trim() ?? '');
    const block: ConsoleBlock = { line: i + 1, commands: [], ...(prev ? { skip: prev[1]! } : {}) };
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== '```'; j++) {
      const text = lines[j]!;
      if (text.startsWith('$ ')) {
        const parts = [text.slice(2)];
        const line = j + 1;
        while (parts.at(-1)!.endsWith('\\') && j + 1 < lines.length) parts.push(lines[++j]!);
        block.commands.push({ command: parts.join('\n'), expected: [], line });
      } else if (block.commands.length > 0) {
        block.commands.at(-1)!.expected.push(text);
      }
    }
    if (j === lines.length) throw new DocBlockError(`${file}:${i + 1}: \`\`\`console block is never closed`);
    blocks.push(block);
    i = j;
  }
  return blocks;
}
