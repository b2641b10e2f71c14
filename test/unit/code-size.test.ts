import { describe, expect, it } from 'vitest';
import { countLines, type FileSize, measureSource, rankSizes } from '../../scripts/measure-code.ts';

const SOURCE = `/** A doc comment is not part of the function. */
export function plain(a: number): number {
  const text = '} a brace in a string {';
  return a + text.length;
}

export function overloaded(a: string): string;
export function overloaded(a: unknown): unknown {
  return a;
}

export const arrow = async (x: number) => {
  // } a brace in a comment
  return x;
};

const wrapped = ((x: number) => x * 2) satisfies (x: number) => number;

class Counter {
  private value = 0;

  constructor() {
    this.value = 1;
  }

  increment(): void {
    this.value++;
  }

  get current(): number {
    return this.value;
  }

  readonly reset = () => {
    this.value = 0;
  };
}

export const route = defineRoute({
  path: '/x',
  handle: async () => {
    return [1, 2, 3].map((n) => n + 1);
  },
});

exports.handler = function () {
  return 1;
};
`;

describe('measureSource', () => {
  it('finds every named function with its first line and length, and no anonymous callback', () => {
    // Act
    const measured = measureSource('sample.ts', SOURCE);

    // Assess
    expect(measured.lines).toBe(48);
    expect(measured.functions).toEqual([
      { name: 'plain', kind: 'function', line: 2, lines: 4 },
      { name: 'overloaded', kind: 'function', line: 8, lines: 3 },
      { name: 'arrow', kind: 'arrow', line: 12, lines: 4 },
      { name: 'wrapped', kind: 'arrow', line: 17, lines: 1 },
      { name: 'Counter.constructor', kind: 'constructor', line: 22, lines: 3 },
      { name: 'Counter.increment', kind: 'method', line: 26, lines: 3 },
      { name: 'Counter.current', kind: 'accessor', line: 30, lines: 3 },
      { name: 'Counter.reset', kind: 'arrow', line: 34, lines: 3 },
      { name: 'route.handle', kind: 'arrow', line: 41, lines: 3 },
      { name: 'exports.handler', kind: 'expression', line: 46, lines: 3 },
    ]);
  });

  it('names a function expression by its own name first', () => {
    // Act
    const measured = measureSource('named.ts', 'const alias = function inner() {\n  return 1;\n};\n');

    // Assess
    expect(measured.functions).toEqual([{ name: 'inner', kind: 'expression', line: 1, lines: 3 }]);
  });
});

describe('countLines', () => {
  it('counts lines as an editor numbers them', () => {
    // Assess
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\r\nb')).toBe(2);
    expect(countLines('a\n\n')).toBe(2);
  });
});

describe('rankSizes', () => {
  it('ranks files and functions longest first, keeps the top N and everything over the limits', () => {
    // Prepare
    const files: FileSize[] = [
      { file: 'b.ts', lines: 400, functions: [{ name: 'long', kind: 'function', line: 10, lines: 70 }] },
      {
        file: 'a.ts',
        lines: 400,
        functions: [
          { name: 'short', kind: 'arrow', line: 1, lines: 5 },
          { name: 'mid', kind: 'method', line: 20, lines: 61 },
        ],
      },
      { file: 'c.ts', lines: 20, functions: [] },
    ];

    // Act
    const report = rankSizes(files, { top: 2, fileLines: 300, functionLines: 60 });

    // Assess
    expect(report).toMatchObject({ files: 3, lines: 820, functions: 3 });
    expect(report.largestFiles).toEqual([
      { file: 'a.ts', lines: 400 },
      { file: 'b.ts', lines: 400 },
    ]);
    expect(report.filesOverLimit.map(({ file }) => file)).toEqual(['a.ts', 'b.ts']);
    expect(report.longestFunctions.map(({ file, name }) => `${file}:${name}`)).toEqual([
      'b.ts:long',
      'a.ts:mid',
    ]);
    expect(report.functionsOverLimit.map(({ name }) => name)).toEqual(['long', 'mid']);
  });
});
