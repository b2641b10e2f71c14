import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JAVA_INSTALL_COMMAND, javaProblem, parseJavaVersion } from '../../local/java.ts';

describe('java -version', () => {
  it.each([
    [
      'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)',
      17,
    ],
    ['openjdk version "21" 2023-09-19\nOpenJDK Runtime Environment (build 21+35-2513)', 21],
    ['openjdk version "22-ea" 2024-03-19', 22],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['java version "1.8.0_381"\nJava(TM) SE Runtime Environment (build 1.8.0_381-b09)', 8],
    ['Picked up JAVA_TOOL_OPTIONS: -Xss2m\nopenjdk version "17.0.8.1" 2023-08-24', 17],
  ])('reads the major version of %j', (output, major) => {
    expect(parseJavaVersion(output)).toBe(major);
  });

  it.each(['', 'bash: java: command not found', 'Error: could not create the Java Virtual Machine'])(
    'finds no version in %j',
    (output) => {
      expect(parseJavaVersion(output)).toBeUndefined();
    },
  );

  it('reads any modern and any 1.x version line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 9, max: 99 }),
        fc.nat(40),
        fc.nat(20),
        fc.constantFrom('openjdk', 'java'),
        (major, minor, patch, vendor) => {
          expect(parseJavaVersion(`${vendor} version "${major}.${minor}.${patch}" 2030-01-01`)).toBe(major);
          expect(parseJavaVersion(`${vendor} version "${major}"`)).toBe(major);
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(400), (minor, update) => {
        expect(parseJavaVersion(`java version "1.${minor}.0_${update}"`)).toBe(minor);
      }),
    );
  });

  it('accepts Java 17 and newer', () => {
    expect(javaProblem({ found: true, exitCode: 0, output: 'openjdk version "17.0.15" 2025-04-15' })).toBe(
      undefined,
    );
    expect(javaProblem({ found: true, exitCode: 0, output: 'openjdk version "25" 2025-09-16' })).toBe(
      undefined,
    );
  });

  it('refuses a missing, an old and an unreadable Java with the install command', () => {
    const missing = javaProblem({ found: false });
    const old = javaProblem({ found: true, exitCode: 0, output: 'openjdk version "11.0.2" 2019-01-15' });
    const unreadable = javaProblem({ found: true, exitCode: 1, output: 'Segmentation fault' });
    for (const problem of [missing, old, unreadable]) expect(problem).toContain(JAVA_INSTALL_COMMAND);
    expect(missing).toContain('未找到 Java');
    expect(old).toContain('找到 Java 11');
    expect(unreadable).toContain('Segmentation fault');
  });
});
