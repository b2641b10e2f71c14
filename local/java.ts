/**
 * DynamoDB Local runs on Java 17 or newer. `npm start`, `npm run evaluate` and `npm test` check for it
 * before anything else: without the check a missing Java shows as a database that never answers, with no
 * word of why.
 */
import { spawnSync } from 'node:child_process';

export const MIN_JAVA_VERSION = 17;
export const JAVA_INSTALL_COMMAND = 'apt-get install openjdk-17-jre-headless';

/** Java is missing, too old, or does not run. */
export class JavaUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JavaUnavailableError';
  }
}

/** What running `java -version` gave. */
export type JavaProbe =
  | { readonly found: false }
  | { readonly found: true; readonly exitCode: number | null; readonly output: string };

/**
 * The major version in `java -version`'s output: `openjdk version "17.0.15" 2025-04-15` → 17,
 * `openjdk version "21" 2023-09-19` → 21, `openjdk version "22-ea"` → 22, and the old numbering
 * `java version "1.8.0_381"` → 8. Undefined when no version line is there.
 */
export function parseJavaVersion(output: string): number | undefined {
  // Lines such as "Picked up JAVA_TOOL_OPTIONS: …" may come first; the version line starts a line.
  const match = /^\S+ version "(\d+)(?:\.(\d+))?[^"]*"/m.exec(output);
  if (match === null) return undefined;
  const first = Number(match[1]);
  if (first === 1 && match[2] !== undefined) return Number(match[2]);
  return first;
}

/** The message for a Java that will not do, or undefined when it will. */
export function javaProblem(probe: JavaProbe): string | undefined {
  const install = `安装 / install: ${JAVA_INSTALL_COMMAND}`;
  if (!probe.found) {
    return (
      `未找到 Java：DynamoDB Local 需要 Java ${MIN_JAVA_VERSION} 或更高版本。\n` +
      `Java was not found on the PATH; DynamoDB Local needs Java ${MIN_JAVA_VERSION} or newer.\n${install}`
    );
  }
  const version = parseJavaVersion(probe.output);
  if (version === undefined) {
    return (
      `无法识别 Java 版本（java -version 退出码 ${probe.exitCode}）：${probe.output.trim()}\n` +
      `Could not read the version from java -version; DynamoDB Local needs Java ${MIN_JAVA_VERSION} or newer.\n${install}`
    );
  }
  if (version < MIN_JAVA_VERSION) {
    return (
      `Java 版本过旧：找到 Java ${version}，DynamoDB Local 需要 Java ${MIN_JAVA_VERSION} 或更高版本。\n` +
      `Java ${version} found on the PATH; DynamoDB Local needs Java ${MIN_JAVA_VERSION} or newer.\n${install}`
    );
  }
  return undefined;
}

/** Runs `java -version` with the PATH of `env`. */
export function probeJava(env: NodeJS.ProcessEnv = process.env): JavaProbe {
  const result = spawnSync('java', ['-version'], { env, encoding: 'utf8', timeout: 20_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { found: false };
  // the version goes to stderr; some builds print it on stdout
  return { found: true, exitCode: result.status, output: `${result.stderr ?? ''}${result.stdout ?? ''}` };
}

/** Throws {@link JavaUnavailableError} with the install command unless Java 17+ is on the PATH. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): void {
  const problem = javaProblem(probeJava(env));
  if (problem !== undefined) throw new JavaUnavailableError(problem);
}
