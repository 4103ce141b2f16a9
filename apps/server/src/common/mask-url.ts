/**
 * A URL with its credentials and query values masked, for logs and API answers. Credentials may hold characters a
 * URL should have escaped (`redis://u:12?34@h`, which a parser reads as a port and a query), so the text is masked
 * before it is parsed: query values first, wherever they are (one may hold an `@`), then everything between `//`
 * and the last `@` left. `user: 'keep'` leaves the user name when a password follows it (a Redis ACL user);
 * `'mask'` masks it too (an output's address, where services put the secret in either).
 * Returns the URL as given when there was nothing to mask, and undefined when it is not a URL.
 */
export function maskUrlText(url: string, { mask, user }: { mask: string; user: 'keep' | 'mask' }): string | undefined {
  let text = url.replace(/([?&;][^=&?#;]*=)[^&#;]*/g, `$1${mask}`);
  const start = text.indexOf('//');
  const at = text.lastIndexOf('@');
  if (start >= 0 && at > start) {
    const userinfo = text.slice(start + 2, at);
    const colon = userinfo.indexOf(':');
    const name = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const shownName = name !== '' && (user === 'mask' || colon < 0) ? mask : name;
    text = `${text.slice(0, start + 2)}${colon < 0 ? shownName : `${shownName}:${mask}`}${text.slice(at)}`;
  }
  if (!URL.canParse(text)) return undefined;
  return text === url ? url : new URL(text).toString();
}
