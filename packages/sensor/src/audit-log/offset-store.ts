/** Where the audit-log tailer remembers how far it read each file, so a restart neither loses nor repeats lines. */
import { readFile, rename, writeFile } from 'node:fs/promises';

/** A file is known by its device and inode, which survive a rename (log rotation), and not by its name. */
export interface SavedOffset {
  /** `dev:ino`, both as decimal text (inodes may exceed 2^53). */
  key: string;
  /** The name it had when saved; a hint for finding it again after a rotation while the sensor was down. */
  path: string;
  /** Bytes consumed: everything before this ends with a newline and has been read. */
  offset: number;
}

interface OffsetFileContent {
  version: 1;
  files: readonly SavedOffset[];
}

export class OffsetStore {
  private lastWritten = '';

  constructor(private readonly file: string) {}

  /** The saved offsets; none when the file does not exist yet. A damaged file is an error, not a silent restart. */
  async load(): Promise<SavedOffset[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const content = JSON.parse(text) as { version?: unknown; files?: unknown };
    if (content.version !== 1 || !Array.isArray(content.files)) {
      throw new Error(`${this.file} is not a Harrier audit-log offset file`);
    }
    this.lastWritten = text;
    return (content.files as unknown[]).filter(isSavedOffset);
  }

  /** Replaces the saved offsets (write and rename, so a crash leaves the old file or the new one, never half). */
  async save(files: readonly SavedOffset[]): Promise<void> {
    const text = `${JSON.stringify({ version: 1, files } satisfies OffsetFileContent)}\n`;
    if (text === this.lastWritten) return;
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.file);
    this.lastWritten = text;
  }
}

function isSavedOffset(value: unknown): value is SavedOffset {
  const v = value as Partial<Record<keyof SavedOffset, unknown>> | null;
  return (
    typeof v?.key === 'string' &&
    typeof v.path === 'string' &&
    Number.isSafeInteger(v.offset) &&
    (v.offset as number) >= 0
  );
}
