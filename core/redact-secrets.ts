/**
 * Masks secrets that ride inside text: the password of any URL (`scheme://user:pass@host` →
 * `scheme://user:***@host`) and credential-like query parameters (`?password=…`, `token=`,
 * `secret=`, `api_key=`…) and PEM private keys (a TLS key file's content quoted by mistake).
 * Works on any text — a whole log line, an error message quoting a
 * URL that did not even parse — so it needs no URL parser and keeps the rest readable.
 *
 * Used by ClvError (every message), config/ (echoed settings) and the root logger (every
 * line), so a URL with a password can reach an error or a log from anywhere and still leave
 * it masked.
 */

/** scheme://user:password@ — the password runs to the last '@' before the host part ends. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:)[^\s/?#"'<>]*@/gi;
const QUERY_SECRET = /([?&;](?:password|passwd|pwd|pass|token|access_token|secret|api[_-]?key|apikey|auth)=)[^&#\s"'<>]*/gi;
/** From BEGIN to the matching END (newlines raw or JSON-escaped), or to the end of the quoted string when cut short. */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|[^"]*)/g;

export function redactSecrets(text: string): string {
  const masked = text.includes('PRIVATE KEY-----') ? text.replace(PEM_PRIVATE_KEY, '-----BEGIN $1PRIVATE KEY-----***-----END $1PRIVATE KEY-----') : text;
  // Cheap test first: most messages hold no URL and no query string.
  if (!masked.includes('://') && !masked.includes('=')) return masked;
  return masked.replace(URL_PASSWORD, '$1***@').replace(QUERY_SECRET, '$1***');
}
