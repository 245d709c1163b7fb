/**
 * The drive's logger: injectable, silent by default. The emulator writes nothing on stdout but the line
 * saying where it listens (design card, principle 9); CDB traces go through `debug`.
 */
export interface DriveLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /**
   * False when `debug` writes nothing: the drive then builds no per-command trace at all (what a READ
   * costs matters). Absent: treated as true.
   */
  readonly debugEnabled?: boolean;
}

export const silentLogger: DriveLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  debugEnabled: false,
});

/** A logger that writes JSON lines to stderr at or above `level`. */
export function stderrLogger(level: 'debug' | 'info' | 'warn' = 'info'): DriveLogger {
  const rank = { debug: 0, info: 1, warn: 2 } as const;
  const out = (l: keyof typeof rank) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[l] < rank[level]) return;
    process.stderr.write(JSON.stringify({ level: l, msg: message, ...fields }) + '\n');
  };
  return { debug: out('debug'), info: out('info'), warn: out('warn'), debugEnabled: level === 'debug' };
}
