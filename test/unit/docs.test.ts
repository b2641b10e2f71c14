/**
 * The repository documents itself: no file may point at notes a clone does not have, and no relative
 * link in the README or in docs/ may lead nowhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Names of the notes that live outside the repository. Spelled in parts so that this file does not
 * mention them itself.
 */
const FORBIDDEN = [['DOMAIN', '.md'].join(''), ['DESIGN', '.md'].join(''), ['..', '/shared'].join('')];

/** The mentions of outside notes in a text, as `line: name`. */
function forbiddenMentions(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      FORBIDDEN.filter((name) => line.includes(name)).map((name) => `${index + 1}: ${name}`),
    );
}

/** Fenced blocks and inline code spans hold commands and paths, not links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/**
 * The relative link targets of a Markdown text, without their `#anchor` or `?query`: inline links and
 * images `[text](target "title")`, `<target>` included, and reference definitions `[label]: target`.
 */
function relativeLinks(markdown: string): string[] {
  const text = withoutCode(markdown);
  const inline = [...text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)[^)]*\)/g)].map((m) => m[1] ?? '');
  const references = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)].map((m) => m[1] ?? '');
  return [...inline, ...references]
    .map((target) => target.replace(/^<|>$/g, ''))
    .filter((target) => target !== '' && !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => decodeURI(target.replace(/[#?].*$/, '')))
    .filter((target) => target !== '');
}

/** Files git tracks or would track (untracked but not ignored), as paths from the root. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split('\0').filter((path) => path !== ''))].filter((path) =>
    existsSync(join(ROOT, path)),
  );
}

function markdownPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

describe('forbiddenMentions', () => {
  it('finds a mention of an outside note, and nothing in a text without one', () => {
    // Prepare
    const text = `first line\nsee ${FORBIDDEN[0]} section 4\nand ${FORBIDDEN[2]}/seed`;

    // Act
    const found = forbiddenMentions(text);

    // Assess
    expect(found).toEqual([`2: ${FORBIDDEN[0]}`, `3: ${FORBIDDEN[2]}`]);
    expect(forbiddenMentions('see docs/files.md')).toEqual([]);
  });
});

describe('relativeLinks', () => {
  it('takes relative targets without anchors, and leaves out web links, anchors and code', () => {
    // Prepare
    const markdown = [
      'See [files](files.md#column-headers), [the README](../README.md "title") and ![a chart](<img/a b.svg>).',
      'Not [the web](https://example.org/x.md), [mail](mailto:a@b.c) or [a heading](#rules).',
      'Nor `[code](missing.md)` or:',
      '```',
      '[fenced](missing.md)',
      '```',
      '[ref]: codes.md?plain=1',
    ].join('\n');

    // Act
    const links = relativeLinks(markdown);

    // Assess
    expect(links).toEqual(['files.md', '../README.md', 'img/a b.svg', 'codes.md']);
  });
});

describe('the repository documents itself', () => {
  it('has no file that points at notes outside the repository', () => {
    // Act
    const offenders = repositoryFiles().flatMap((path) =>
      forbiddenMentions(read(path)).map((mention) => `${path}:${mention}`),
    );

    // Assess
    expect(offenders).toEqual([]);
  });

  it('has no relative link in README.md or docs/ that points at a missing file', () => {
    // Act
    const broken = markdownPages().flatMap((page) =>
      relativeLinks(read(page))
        .filter((target) => !existsSync(resolve(ROOT, dirname(page), target)))
        .map((target) => `${page} → ${target}`),
    );

    // Assess
    expect(broken).toEqual([]);
  });
});

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
