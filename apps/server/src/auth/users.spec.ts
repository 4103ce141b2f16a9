import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { parseUsers, verifyPassword } from './users.js';

const HASH = '$2b$04$r1edOSh3isBp/TFMXIDVEuqPYYngzD9dygRv.e1qZ1V9eW0VqYh96'; // "correct horse battery staple"

describe('parseUsers', () => {
  it('reads htpasswd lines, comma- or newline-separated, skipping blanks and comments', () => {
    const { users, issues } = parseUsers(
      `# team\nalice:${HASH}\n\nbob:${HASH.replace('$2b$', '$2y$')},carol:${HASH}`,
      'x',
    );
    expect(issues).toEqual([]);
    expect([...users.keys()]).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses plain passwords, weak hashes, bad names and repeats, never echoing a secret', () => {
    const { users, issues } = parseUsers(
      [
        'dave:hunter2hunter2',
        'erin:$apr1$abc$def',
        'no colon',
        `bad name:${HASH}`,
        `alice:${HASH}`,
        `alice:${HASH}`,
      ].join('\n'),
      'AUTH_USERS',
    );
    expect(issues).toEqual([
      'AUTH_USERS entry 1 (dave): the password must be a bcrypt hash ($2y$/$2b$)',
      'AUTH_USERS entry 2 (erin): the password must be a bcrypt hash ($2y$/$2b$)',
      'AUTH_USERS entry 3: expected "name:bcrypt-hash" with a name of letters, digits, . @ _ -',
      'AUTH_USERS entry 4: expected "name:bcrypt-hash" with a name of letters, digits, . @ _ -',
      'AUTH_USERS entry 6: user alice is listed twice',
    ]);
    expect(issues.join(' ')).not.toContain('hunter2');
    expect([...users.keys()]).toEqual(['alice']);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password only, and nothing for an unknown user', async () => {
    expect(await verifyPassword('correct horse battery staple', HASH)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', HASH)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', undefined)).toBe(false);
  });

  it('refuses a password bcrypt would silently cut at 72 bytes', async () => {
    const long = 'p'.repeat(72);
    const hash = bcrypt.hashSync(long, 4);
    expect(await verifyPassword(long, hash)).toBe(true);
    // bcrypt alone would accept this one: it compares only the first 72 bytes.
    expect(bcrypt.compareSync(`${long}anything`, hash)).toBe(true);
    expect(await verifyPassword(`${long}anything`, hash)).toBe(false);
  });
});
