/**
 * Tails the JSON-lines files kube-apiserver writes with `--audit-log-path`: one file, or every file of a directory.
 * Files are polled and known by inode, so a rotation (rename, then a new file) is followed: the renamed file is read
 * to its end through the handle still open on it before the new one is read from its start. A file that shrinks was
 * truncated (copytruncate) and is read again from its start. Offsets are saved after every poll and on stop; after
 * a crash, lines read since the last save are read again (at most one poll's worth).
 */
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAuditInput } from '@harrier/engine';
import { systemClock, type Clock } from '../clock.js';
import type { EventSource, SensorEvent, SourceProblem } from '../source.js';
import { OffsetStore, type SavedOffset } from './offset-store.js';

export interface AuditLogSourceOptions {
  /** An audit log file, or a directory of them (every regular file in it whose name does not start with `.`). */
  path: string;
  /** Saves read offsets here and resumes from them on start. Without it, every start reads the files again. */
  offsetFile?: string;
  /** Default 250 ms. */
  pollIntervalMs?: number;
  /** On a first start (no saved offsets), skip what the files already hold. Default false. */
  fromEnd?: boolean;
  onProblem?: (problem: SourceProblem) => void;
  clock?: Clock;
}

/** Longest line read whole; longer ones (far above the k8saudit plugin's 256 KiB event limit) are skipped. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
const NEWLINE = 0x0a;

interface TrackedFile {
  key: string;
  path: string;
  handle: FileHandle;
  /** Bytes consumed, always just after a newline (or 0). */
  offset: number;
  /** Inside a line longer than MAX_LINE_BYTES, dropping bytes until its newline. */
  skipping: boolean;
}

interface Candidate {
  path: string;
  key: string;
  mtimeMs: number;
}

export class AuditLogSource implements EventSource<SensorEvent> {
  readonly name = 'audit-log';
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly store: OffsetStore | undefined;
  private readonly tracked = new Map<string, TrackedFile>();
  private saved = new Map<string, SavedOffset>();
  private directory = false;
  private running: AbortController | undefined;

  constructor(private readonly options: AuditLogSourceOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock ?? systemClock;
    this.store = options.offsetFile === undefined ? undefined : new OffsetStore(options.offsetFile);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.directory = (await stat(this.options.path).catch(() => undefined))?.isDirectory() ?? false;
    const saved = (await this.store?.load()) ?? [];
    this.saved = new Map(saved.map((s) => [s.key, s]));
    await this.recoverRotatedWhileDown();
    // With saved offsets, a file without one is new since the last run, and read whole.
    const fromEnd = this.options.fromEnd === true && this.saved.size === 0;
    for (const candidate of await this.candidates()) await this.track(candidate, fromEnd);
    this.running = new AbortController();
  }

  stop(): Promise<void> {
    this.running?.abort();
    return Promise.resolve();
  }

  async *events(): AsyncGenerator<SensorEvent> {
    const signal = this.running?.signal;
    if (signal === undefined) throw new Error('AuditLogSource.events() called before start()');
    try {
      while (!signal.aborted) {
        yield* this.poll(signal);
        await this.saveOffsets();
        await this.clock.sleep(this.pollIntervalMs, signal);
      }
    } finally {
      await this.saveOffsets();
      for (const file of this.tracked.values()) await file.handle.close();
      this.tracked.clear();
      this.running = undefined;
    }
  }

  /** One pass: files gone from view (rotated away) are finished first, as they hold the older lines. */
  private async *poll(signal: AbortSignal): AsyncGenerator<SensorEvent> {
    const present = await this.candidates();
    const keys = new Set(present.map((c) => c.key));
    for (const file of [...this.tracked.values()]) {
      if (keys.has(file.key)) continue;
      yield* this.read(file, true, signal);
      if (signal.aborted) return;
      await file.handle.close();
      this.tracked.delete(file.key);
    }
    for (const candidate of present) {
      const file = this.tracked.get(candidate.key) ?? (await this.track(candidate, false));
      if (file === undefined) continue;
      file.path = candidate.path;
      yield* this.read(file, false, signal);
      if (signal.aborted) return;
    }
  }

  /** The files to read now, oldest first. */
  private async candidates(): Promise<Candidate[]> {
    const paths = this.directory
      ? (await readdir(this.options.path).catch(() => []))
          .filter((name) => !name.startsWith('.'))
          .map((name) => path.join(this.options.path, name))
          .filter((p) => p !== this.options.offsetFile && p !== `${this.options.offsetFile}.tmp`)
      : [this.options.path];
    const found: Candidate[] = [];
    for (const p of paths) {
      const s = await stat(p, { bigint: true }).catch(() => undefined);
      if (s?.isFile()) found.push({ path: p, key: `${s.dev}:${s.ino}`, mtimeMs: Number(s.mtimeMs) });
    }
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
  }

  /** Opens a file not read before in this run, from its saved offset, its end, or its start. */
  private async track(candidate: Candidate, fromEnd: boolean): Promise<TrackedFile | undefined> {
    const handle = await open(candidate.path, 'r').catch(() => undefined);
    if (handle === undefined) return undefined;
    const opened = await handle.stat({ bigint: true });
    const key = `${opened.dev}:${opened.ino}`;
    const size = Number(opened.size);
    const saved = this.saved.get(key)?.offset;
    // A saved offset past the end means the file was truncated while the sensor was down.
    const offset = saved !== undefined ? (saved <= size ? saved : 0) : fromEnd ? size : 0;
    const file: TrackedFile = { key, path: candidate.path, handle, offset, skipping: false };
    this.tracked.set(key, file);
    return file;
  }

  /**
   * A single file rotated while the sensor was down: its saved inode now has another name. Rotation (lumberjack,
   * logrotate) renames within the directory, so look there, and finish that file first.
   */
  private async recoverRotatedWhileDown(): Promise<void> {
    if (this.directory) return;
    const current = await stat(this.options.path, { bigint: true }).catch(() => undefined);
    const currentKey = current === undefined ? undefined : `${current.dev}:${current.ino}`;
    const lost = [...this.saved.values()].filter((s) => s.key !== currentKey);
    if (lost.length === 0) return;
    const dir = path.dirname(this.options.path);
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      const p = path.join(dir, name);
      const s = await stat(p, { bigint: true }).catch(() => undefined);
      if (s?.isFile() && lost.some((l) => l.key === `${s.dev}:${s.ino}`)) {
        await this.track({ path: p, key: `${s.dev}:${s.ino}`, mtimeMs: Number(s.mtimeMs) }, false);
      }
    }
  }

  /** New complete lines of one file; `finished` when nothing more will be written (its last line may lack `\n`). */
  private async *read(file: TrackedFile, finished: boolean, signal: AbortSignal): AsyncGenerator<SensorEvent> {
    const size = Number((await file.handle.stat({ bigint: true })).size);
    if (size < file.offset) {
      file.offset = 0;
      file.skipping = false;
    }
    while (file.offset < size && !signal.aborted) {
      const length = Math.min(size - file.offset, MAX_LINE_BYTES);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await file.handle.read(buffer, 0, length, file.offset);
      if (bytesRead === 0) return;
      const chunk = buffer.subarray(0, bytesRead);
      let end = chunk.lastIndexOf(NEWLINE) + 1;
      if (end === 0) {
        if (finished && file.offset + bytesRead >= size) end = bytesRead;
        else if (bytesRead === MAX_LINE_BYTES) {
          this.problem(file, `line longer than ${MAX_LINE_BYTES} bytes skipped`);
          file.skipping = true;
          file.offset += bytesRead;
          continue;
        } else return;
      }
      let start = 0;
      while (start < end) {
        const newline = chunk.indexOf(NEWLINE, start);
        const lineEnd = newline === -1 || newline >= end ? end : newline + 1;
        const lineOffset = file.offset;
        const skip = file.skipping;
        file.skipping = false;
        if (!skip) yield* this.eventsOf(file, chunk.toString('utf8', start, lineEnd).trim(), lineOffset);
        // Counted as read only once the consumer has taken its events.
        file.offset += lineEnd - start;
        start = lineEnd;
        if (signal.aborted) return;
      }
    }
  }

  private *eventsOf(file: TrackedFile, line: string, offset: number): Generator<SensorEvent> {
    if (line === '') return;
    // One line, so the engine parses it as one JSON value (its JSON-lines path, with the plugin's checks).
    const { events, problems } = parseAuditInput(line);
    for (const p of problems) this.problem(file, p.message, offset);
    for (const event of events) yield { source: 'k8s_audit', event };
  }

  private problem(file: TrackedFile, message: string, offset = file.offset): void {
    this.options.onProblem?.({ where: `${file.path} at byte ${offset}`, message });
  }

  private async saveOffsets(): Promise<void> {
    if (this.store === undefined) return;
    const files = [...this.tracked.values()].map(({ key, path: p, offset }) => ({ key, path: p, offset }));
    await this.store.save(files);
  }
}
