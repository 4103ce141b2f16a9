/** Small text helpers for rendering attacker-controlled alert text into one-line places (headers, errors). */

function isControl(code: number): boolean {
  // C0, DEL, C1, and the Unicode line/paragraph separators some clients treat as line breaks.
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** Replaces each run of control characters (CR, LF, TAB, NUL, …) with one space, then trims. */
export function singleLine(text: string): string {
  let out = '';
  let inRun = false;
  for (const ch of text) {
    if (isControl(ch.codePointAt(0)!)) {
      if (!inRun) out += ' ';
      inRun = true;
    } else {
      out += ch;
      inRun = false;
    }
  }
  return out.trim();
}

/** Cuts to at most `max` characters (not splitting a surrogate pair), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A thrown value as text, for error messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return JSON.stringify(error) ?? 'unknown error';
}
