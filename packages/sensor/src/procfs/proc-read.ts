/**
 * Synchronous reads of /proc. Its files are made by the kernel on read and never wait on a disk, and a poll reads
 * thousands of them: the promise API's four thread-pool round trips per file (open, stat, read, close) cost the
 * sensor several times the CPU of reading them here with one shared buffer. Every read answers undefined (or [])
 * when the file is gone, as it is once a process exits.
 */
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(64 * 1024);

/** The file's bytes (copied out of the shared buffer), or undefined. */
export function readBytes(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger);
        buffer = larger;
      }
      const asked = buffer.length - length;
      const read = readSync(fd, buffer, length, asked, null);
      length += read;
      // procfs fills a read as far as its records allow, so one that comes back less than half full was the last.
      // Asking again to be told so is not free: for the socket tables it walks the kernel's hash tables again.
      if (read === 0 || read < asked / 2) return Buffer.from(buffer.subarray(0, length));
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * One read of a file known to be one short line (`/proc/PID/stat`): procfs answers it whole in one read, so the
 * read that would find its end is saved (a third of the cost of scanning every process).
 */
export function readLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, null));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function readText(file: string): string | undefined {
  return readBytes(file)?.toString('utf8');
}

export function readLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

export function listDirectory(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
