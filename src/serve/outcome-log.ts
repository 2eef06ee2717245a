import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DecisionLine, OutcomeLine } from '../learning/events.js';

/** Called when a write fails: the error and how many lines were lost with it. */
export type WriteErrorHandler = (error: Error, lostLines: number) => void;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The service's outcome log: version-2 decision and outcome lines appended to one file that this
 * process alone writes (O_APPEND, one `write` per batch, so lines never interleave).
 *
 * Lines are batched: every line queued during one turn of the event loop goes out in one `write`
 * right after it (to the page cache: microseconds, so it is done in place rather than through the
 * thread pool). An outcome line is durable before its promise resolves: an `fdatasync` on the
 * thread pool follows the write (group commit: outcomes written while a sync runs share the next
 * one). Lines leave in the order they were queued, so a decision line is always in the file
 * before the outcome line that refers to it.
 *
 * A failed write loses its batch (reported to `onWriteError`); the next write starts with a
 * newline, so a half-written line stays alone on its line, where readers skip and report it.
 *
 * @example
 * const log = OutcomeLog.create('logs/');
 * log.appendDecision(decisionLine({ id, text, decision }, vocabulary));
 * await log.appendOutcome(outcomeLine({ id, outcome: 'escalated' }, vocabulary)); // on disk now
 * await log.close();
 */
export class OutcomeLog {
  private descriptor: number | null;
  private queued: string[] = [];
  private queuedDecisions = 0;
  /** Waiting for the lines queued so far to be written, then synced. */
  private waiters: Waiter[] = [];
  /** Written, waiting for the next sync. */
  private unsynced: Waiter[] = [];
  private syncing = false;
  private scheduled = false;
  private tornTail = false;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly handlers: { onWriteError?: WriteErrorHandler; onWritten?: (decisions: number, outcomes: number) => void } = {},
  ) {
    this.descriptor = openSync(file, 'a');
  }

  /**
   * Opens a new log file in `directory` (created if needed), named after the host, the start
   * time and the process, so that every process writes a file of its own.
   */
  static create(directory: string, handlers: ConstructorParameters<typeof OutcomeLog>[1] = {}): OutcomeLog {
    mkdirSync(directory, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const log = new OutcomeLog(join(directory, `serve-${hostname()}-${stamp}-${process.pid}.jsonl`), handlers);
    // The new file's directory entry must survive a power cut too, not only its content.
    const directoryDescriptor = openSync(directory, 'r');
    try {
      fsyncSync(directoryDescriptor);
    } finally {
      closeSync(directoryDescriptor);
    }
    return log;
  }

  /** Queues a decision line; it is written within a moment, without waiting for the disk. */
  appendDecision(line: DecisionLine): void {
    if (this.closed) throw new Error(`outcome log ${this.file} is closed`);
    this.queued.push(`${JSON.stringify(line)}\n`);
    this.queuedDecisions++;
    this.schedule();
  }

  /** Queues an outcome line; resolves once it (and everything queued before it) is on disk. */
  appendOutcome(line: OutcomeLine): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`outcome log ${this.file} is closed`));
    this.queued.push(`${JSON.stringify(line)}\n`);
    return this.sync();
  }

  /** Resolves once everything queued so far is written and synced to disk. */
  flush(): Promise<void> {
    return this.sync();
  }

  /** Flushes, then closes the file. Later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sync();
    } finally {
      const descriptor = this.descriptor;
      this.descriptor = null;
      if (descriptor !== null) closeSync(descriptor);
    }
  }

  private sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.writeQueued();
    });
  }

  /** Writes every queued line in one write, then hands its waiters to the next sync. */
  private writeQueued(): void {
    const lines = this.queued;
    const decisions = this.queuedDecisions;
    const waiters = this.waiters;
    this.queued = [];
    this.queuedDecisions = 0;
    this.waiters = [];
    if (lines.length > 0) {
      try {
        if (this.descriptor === null) throw new Error(`outcome log ${this.file} is closed`);
        this.writeAll(Buffer.from((this.tornTail ? '\n' : '') + lines.join(''), 'utf8'));
        this.tornTail = false;
        this.handlers.onWritten?.(decisions, lines.length - decisions);
      } catch (error) {
        this.tornTail = true;
        this.handlers.onWriteError?.(error as Error, lines.length);
        for (const waiter of waiters) waiter.reject(error as Error);
        return;
      }
    }
    this.unsynced.push(...waiters);
    this.startSync();
  }

  /** One fdatasync at a time; waiters that arrive during it wait for the next one. */
  private startSync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const waiters = this.unsynced;
    this.unsynced = [];
    if (this.descriptor === null) {
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    this.syncing = true;
    fdatasync(this.descriptor, (error) => {
      this.syncing = false;
      if (error) {
        this.handlers.onWriteError?.(error, 0);
        for (const waiter of waiters) waiter.reject(error);
      } else {
        for (const waiter of waiters) waiter.resolve();
      }
      this.startSync();
    });
  }

  private writeAll(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.descriptor!, bytes, offset, bytes.length - offset);
  }
}
