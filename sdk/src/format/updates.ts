/**
 * Progress of a long operation as typed events: an EventEmitter `update` event (the IMAPI2 Update
 * event, whose handler may call cancelWrite) and an async iterator over the same updates that ends
 * when the operation ends.
 *
 *   format.on('update', (u) => { if (u.elapsedTime > 10) format.cancelWrite(); });
 *   for await (const u of format.updates()) bar.update(u.lastWrittenLba);
 */
import { EventEmitter } from 'node:events';

export interface UpdateEvents<T> {
  update: [update: T];
  /** The operation ended (successfully or not); iterators finish. */
  done: [];
}

export class UpdateEmitter<T> extends EventEmitter<UpdateEvents<T>> {
  /** Emits one update synchronously: a handler that calls cancelWrite() runs before the next write. */
  protected emitUpdate(u: T): void {
    this.emit('update', u);
  }

  protected emitDone(): void {
    this.emit('done');
  }

  /** Async iterator over updates until the current (or next) operation ends. Buffers at most `max` unread updates, dropping the oldest. */
  updates(max = 64): AsyncIterableIterator<T> {
    const queue: T[] = [];
    let done = false;
    let wake: (() => void) | undefined;
    const onUpdate = (u: T) => {
      queue.push(u);
      if (queue.length > max) queue.shift();
      wake?.();
    };
    const onDone = () => {
      done = true;
      wake?.();
    };
    this.on('update', onUpdate);
    this.on('done', onDone);
    const cleanup = () => {
      this.off('update', onUpdate);
      this.off('done', onDone);
    };
    const it: AsyncIterableIterator<T> = {
      [Symbol.asyncIterator]() {
        return it;
      },
      async next(): Promise<IteratorResult<T>> {
        for (;;) {
          if (queue.length) return { value: queue.shift()!, done: false };
          if (done) {
            cleanup();
            return { value: undefined, done: true };
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      },
      async return(): Promise<IteratorResult<T>> {
        cleanup();
        return { value: undefined, done: true };
      },
    };
    return it;
  }
}
