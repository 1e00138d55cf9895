/** A small URL splitter that keeps offsets (into the URL string) of the parts the rules talk about. */
export interface UrlParts {
  scheme: string;
  /** `user:pass@` including the `@`, when present. */
  userinfo?: { text: string; start: number; end: number };
  host: string;
  hostStart: number;
  /** `:port` including the colon, when present. */
  port?: { text: string; value: string; start: number; end: number };
  path: string;
  pathStart: number;
}

export function splitUrl(url: string): UrlParts | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const authStart = m[0].length;
  let authEnd = url.length;
  for (let i = authStart; i < url.length; i++) {
    if (url[i] === '/' || url[i] === '?' || url[i] === '#') {
      authEnd = i;
      break;
    }
  }
  const authority = url.slice(authStart, authEnd);
  const at = authority.lastIndexOf('@');
  const parts: UrlParts = { scheme, host: '', hostStart: authStart, path: url.slice(authEnd), pathStart: authEnd };
  let hostPart = authority;
  let hostStart = authStart;
  if (at >= 0) {
    parts.userinfo = { text: authority.slice(0, at + 1), start: authStart, end: authStart + at + 1 };
    hostPart = authority.slice(at + 1);
    hostStart = authStart + at + 1;
  }
  // The port is after the last colon that is not inside an IPv6 literal.
  const close = hostPart.lastIndexOf(']');
  const colon = hostPart.lastIndexOf(':');
  if (colon > close) {
    parts.port = { text: hostPart.slice(colon), value: hostPart.slice(colon + 1), start: hostStart + colon, end: hostStart + hostPart.length };
    hostPart = hostPart.slice(0, colon);
  }
  parts.host = hostPart;
  parts.hostStart = hostStart;
  return parts;
}

/**
 * The path without its query or fragment. (Not `/[?#].*$/`: `.` stops at U+2028, and on `????…?\u2028` that
 * pattern retries from every `?` — quadratic, minutes at 90 KB.)
 */
export function pathOnly(path: string): string {
  const q = path.indexOf('?'),
    h = path.indexOf('#');
  const cut = q < 0 ? h : h < 0 ? q : Math.min(q, h);
  return cut < 0 ? path : path.slice(0, cut);
}

/** The last path segment, percent-decoded where possible, without query or fragment. */
export function urlFileName(parts: UrlParts): string {
  const path = pathOnly(parts.path);
  const seg = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}
