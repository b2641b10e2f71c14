/**
 * Structured JSON logs, one line per entry, in English. Never pass a row's content here: rows may
 * belong to natural persons, whose data must not reach the logs.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const entry =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      write(JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...fields }));
    };
  return {
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
    child: (fields) => createLogger({ ...base, ...fields }, write),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
