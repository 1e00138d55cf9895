/** Seeded random mutations of file texts, shared by the fuzz tests. */

export function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

export const PIECES = [
  '- ',
  '&a ',
  '*a',
  '{',
  '}',
  '[',
  ']',
  '---\n',
  ': ',
  '\t- ',
  'steps:\n  - ',
  '  node: ',
  "'",
  '"',
  '|\n',
  '=',
  '\\',
  '\\u',
  ':',
  '#',
  '!',
  '\r',
  '\n',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '😀',
  '東京',
  'http://',
  'ftp://',
  ':8080',
  '@',
  ',',
  '99999999999999999999999',
  '-1',
  '4.',
  '.b.',
  ' ',
  '\t',
  'version=',
  'CDM-IP=',
  'dfc.webport=',
  'dfc.postgres.hostlist=',
  'updateFileUrl=',
];

export function mutate(text: string, r: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const lines = text.split('\n');
  switch (Math.floor(r() * 8)) {
    case 0: {
      // flip characters
      const chars = [...text];
      for (let i = 0; i < 1 + r() * 5 && chars.length; i++) chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 0x3000));
      return chars.join('');
    }
    case 1:
      lines.splice(Math.floor(r() * lines.length), 1);
      return lines.join('\n');
    case 2: {
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(r() * lines.length),
        j = Math.floor(r() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, Math.floor(r() * text.length));
    case 5: {
      const at = Math.floor(r() * (text.length + 1));
      return text.slice(0, at) + pick(PIECES) + text.slice(at);
    }
    case 6:
      return text.replace(/\d+/g, (m) => (r() < 0.3 ? '9'.repeat(1 + Math.floor(r() * 40)) : m));
    default:
      return lines.map((l) => (r() < 0.2 ? l + pick(PIECES) : l)).join('\n');
  }
}
