/**
 * The burn progress line on stderr. On a TTY one line redrawn in place (percent, bar, MB/s, drive
 * buffer, time left); otherwise a plain line every `intervalMs` (logs, CI) and one at the end.
 */
export interface ProgressSample {
  readonly label: string;
  /** 0..1, or undefined when the total is unknown. */
  readonly fraction: number | undefined;
  readonly bytesDone: number;
  /** Drive buffer fill 0..1, or undefined. */
  readonly deviceBuffer: number | undefined;
  readonly remainingSeconds: number | undefined;
}

export class ProgressLine {
  private readonly tty: boolean;
  private readonly started = performance.now();
  private lastPrint = -Infinity;
  private lastLen = 0;
  private last: ProgressSample | undefined;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly intervalMs = 3000) {
    this.tty = Boolean(out.isTTY);
  }

  update(s: ProgressSample): void {
    this.last = s;
    const now = performance.now();
    if (this.tty ? now - this.lastPrint < 100 : now - this.lastPrint < this.intervalMs) return;
    this.lastPrint = now;
    this.print(s);
  }

  /** Prints the last sample (if any) and ends the line. */
  finish(): void {
    if (this.last) this.print(this.last);
    if (this.tty && this.lastLen > 0) this.out.write('\n');
    this.lastLen = 0;
  }

  private print(s: ProgressSample): void {
    const text = formatProgress(s, (performance.now() - this.started) / 1000, this.tty ? 24 : 0);
    if (this.tty) {
      this.out.write(`\r${text}${' '.repeat(Math.max(0, this.lastLen - text.length))}`);
      this.lastLen = text.length;
    } else {
      this.out.write(`${text}\n`);
    }
  }
}

/** One progress line (pure: tested). `barWidth` 0 leaves the bar out. */
export function formatProgress(s: ProgressSample, elapsedSeconds: number, barWidth: number): string {
  const parts: string[] = [s.label];
  if (s.fraction !== undefined) {
    const f = Math.min(1, Math.max(0, s.fraction));
    if (barWidth > 0) {
      const full = Math.round(f * barWidth);
      parts.push(`[${'#'.repeat(full)}${'.'.repeat(barWidth - full)}]`);
    }
    parts.push(`${(f * 100).toFixed(1).padStart(5)}%`);
  }
  const mbps = elapsedSeconds > 0 ? s.bytesDone / 1e6 / elapsedSeconds : 0;
  parts.push(`${mbps.toFixed(1)} MB/s`);
  if (s.deviceBuffer !== undefined) parts.push(`buffer ${Math.round(s.deviceBuffer * 100)}%`);
  if (s.remainingSeconds !== undefined) parts.push(`${formatDuration(s.remainingSeconds)} left`);
  return parts.join('  ');
}

export function formatDuration(seconds: number): string {
  const t = Math.max(0, Math.round(seconds));
  const m = Math.floor(t / 60);
  const sec = t % 60;
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
