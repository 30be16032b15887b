/** Log levels, least to most severe. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/** A structured logger writing one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const encoder = new TextEncoder();
let pending: string[] = [];
let scheduled = false;

/** Writes the buffered lines to stdout now. */
export function flushStdout(): void {
  if (!pending.length) return;
  const text = pending.join("\n") + "\n";
  pending = [];
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length;) at += Deno.stdout.writeSync(bytes.subarray(at));
}

/**
 * Writes a line to stdout in batches: lines logged while requests are handled are written together once the
 * event loop turns (one write instead of one per request), at once past 256 lines, and at exit.
 */
export function bufferedStdout(line: string): void {
  pending.push(line);
  if (pending.length >= 256) return flushStdout();
  if (!scheduled) {
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      flushStdout();
    }, 0);
  }
}
globalThis.addEventListener("unload", flushStdout);

/** Creates a logger that drops messages below `level`; warnings and errors are written at once. */
export function createLogger(level: LogLevel = "info", write: (line: string) => void = bufferedStdout): Logger {
  const min = LEVELS[level];
  const emit = (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...fields }));
    if (LEVELS[lvl] >= LEVELS.warn && write === bufferedStdout) flushStdout();
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
