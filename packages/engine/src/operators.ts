/** Pattern operators compiled once at load time: glob, iglob, regex (full match) and pmatch (path prefix). */
import { ConditionError } from './errors.js';

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/]/g;
const escapeRegex = (text: string): string => text.replace(REGEX_SPECIALS, '\\$&');

/**
 * A shell wildcard pattern as an anchored RegExp: `*` and `?` match any characters (also `/` unless `inPath`),
 * `[…]` a class (`[!…]` negated), `\x` the character x.
 */
export function globToRegExp(glob: string, ignoreCase: boolean, inPath = false): RegExp {
  const any = inPath ? '[^/]' : '[\\s\\S]';
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') source += `${any}*`;
    else if (c === '?') source += any;
    else if (c === '\\' && i + 1 < glob.length) source += escapeRegex(glob.charAt(++i));
    else if (c === '[') {
      let j = i + 1;
      if (glob.charAt(j) === '!' || glob.charAt(j) === '^') j++;
      if (glob.charAt(j) === ']') j++;
      const close = glob.indexOf(']', j);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else source += escapeRegex(c);
  }
  return new RegExp(`^(?:${source})$`, ignoreCase ? 'i' : '');
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  '[:alpha:]': 'a-zA-Z',
  '[:digit:]': '0-9',
  '[:alnum:]': 'a-zA-Z0-9',
  '[:upper:]': 'A-Z',
  '[:lower:]': 'a-z',
  '[:space:]': ' \\t\\n\\r\\f\\v',
  '[:blank:]': ' \\t',
  '[:punct:]': '!-\\/:-@\\[-`{-~',
  '[:xdigit:]': '0-9A-Fa-f',
  '[:word:]': '\\w',
  '[:cntrl:]': '\\x00-\\x1f\\x7f',
  '[:print:]': '\\x20-\\x7e',
  '[:graph:]': '\\x21-\\x7e',
};

/** A POSIX (egrep) regular expression matching the whole value, as Falco's RE2 `FullMatch`. */
export function compileRegex(pattern: string, start: number, end: number): RegExp {
  const source = pattern.replace(/\[:[a-z]+:\]/g, (cls) => POSIX_CLASSES[cls] ?? cls);
  if (/\\[1-9]/.test(source))
    throw new ConditionError('invalid regex pattern: backreferences are not supported', start, end);
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConditionError(`invalid regex pattern: ${reason}`, start, end);
  }
}

/**
 * `pmatch`: true when the value is one of the paths or lies under one, on component boundaries
 * (`/srv/app` matches `/srv/app` and `/srv/app/x`, not `/srv/app_old`); wildcards in a path do not cross `/`.
 */
export function compilePathMatcher(paths: readonly string[]): (value: string) => boolean {
  const exact: string[] = [];
  const patterns: RegExp[][] = [];
  for (const raw of paths) {
    const path = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
    if (/[*?[]/.test(path)) patterns.push(path.split('/').map((part) => globToRegExp(part, false, true)));
    else exact.push(path);
  }
  return (value) => {
    for (const prefix of exact) {
      if (value === prefix) return true;
      if (value.startsWith(prefix) && (prefix.endsWith('/') || value.charAt(prefix.length) === '/')) return true;
    }
    if (patterns.length === 0) return false;
    const parts = value.split('/');
    return patterns.some(
      (pattern) => pattern.length <= parts.length && pattern.every((re, i) => re.test(parts[i] ?? '')),
    );
  };
}
