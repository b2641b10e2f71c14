/**
 * Runs a bench script in a Node process of its own (the same pinned Node, with tsx as loader) and
 * returns the JSON it prints as its last stdout line. Its stderr passes through as progress.
 */
import { spawn } from 'node:child_process';

export interface RunningChild<T> {
  /** The JSON of the child's last stdout line, once it has exited. */
  readonly result: Promise<T>;
  /** Writes a line to the child's stdin (how the bench tells a long-running child to finish). */
  send(line: string): void;
}

/** Starts a child with stdin open; see {@link runChild}. */
export function startChild<T>(
  cwd: string,
  script: string,
  args: readonly string[],
  nodeOptions: readonly string[] = [],
): RunningChild<T> {
  // a bundled script (.mjs) runs on plain Node, as the Lambda runs its bundle; TypeScript through tsx
  const loader = script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeOptions, ...loader, script, ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    stdout += text;
  });
  const result = (async () => {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    if (code !== 0) throw new Error(`${script} failed (${signal ?? `exit code ${code}`})`);
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    try {
      return JSON.parse(last) as T;
    } catch {
      throw new Error(`${script} printed no result: ${stdout.slice(-500)}`);
    }
  })();
  return {
    result,
    send(line) {
      child.stdin.write(`${line}\n`);
    },
  };
}

export async function runChild<T>(
  cwd: string,
  script: string,
  args: readonly string[],
  nodeOptions: readonly string[] = [],
): Promise<T> {
  return startChild<T>(cwd, script, args, nodeOptions).result;
}
