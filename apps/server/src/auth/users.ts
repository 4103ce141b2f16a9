/**
 * Users as htpasswd lines (`name:bcrypt-hash`, as `htpasswd -nbB name password` prints them), one per line or
 * comma-separated, from AUTH_USERS and AUTH_USERS_FILE (a mounted Kubernetes Secret works). Only bcrypt hashes are
 * accepted: a plain password or a weak htpasswd format (MD5, SHA1, crypt) is an error naming the line, never echoing it.
 */
import bcrypt from 'bcryptjs';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const NAME = /^[\w.@-]{1,64}$/;

/** Cost of the hashes the hub makes itself (the generated admin password). */
export const BCRYPT_COST = 12;

export interface UserParseResult {
  users: Map<string, string>;
  issues: string[];
}

export function parseUsers(text: string, origin: string): UserParseResult {
  const users = new Map<string, string>();
  const issues: string[] = [];
  const lines = text.split(/[\n,]/).map((line) => line.trim());
  lines.forEach((line, index) => {
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    const hash = colon > 0 ? line.slice(colon + 1) : '';
    const where = `${origin} entry ${index + 1}`;
    if (!NAME.test(name)) issues.push(`${where}: expected "name:bcrypt-hash" with a name of letters, digits, . @ _ -`);
    else if (!BCRYPT.test(hash)) issues.push(`${where} (${name}): the password must be a bcrypt hash ($2y$/$2b$)`);
    else if (users.has(name)) issues.push(`${where}: user ${name} is listed twice`);
    else users.set(name, hash);
  });
  return { users, issues };
}

export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, BCRYPT_COST);

/** A hash no password matches, compared against for unknown users so timing does not reveal which names exist. */
const NOBODY = bcrypt.hashSync('harrier: no such user', 10);

export function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  // bcrypt reads only the first 72 bytes; longer passwords are refused rather than silently truncated.
  if (Buffer.byteLength(password) > 72) return bcrypt.compare('', NOBODY).then(() => false);
  return hash === undefined ? bcrypt.compare(password, NOBODY).then(() => false) : bcrypt.compare(password, hash);
}
