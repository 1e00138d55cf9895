#!/usr/bin/env node
/*
 * The README as the VSIX carries it (`vsce package --readme-path dist/README.vsix.md`). VS Code shows an installed
 * extension's README in a webview that loads images only from https: and data: URLs, so the screenshots the
 * repository's README links by relative path (docs/images/*.png) would be broken there (issue 12, bug 4). This
 * writes a copy with each local PNG/JPEG/GIF image embedded as a data: URL (vsce forbids SVG data URLs; we have
 * none). Links to other files stay as they are. Fails when an image the README names is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

export function embedImages(markdown, baseDir) {
  return markdown.replace(/(!\[[^\]\n]*\]\()([^)\s]+)((?:\s+"[^"\n]*")?\))/g, (all, open, link, close) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#')) return all;
    const file = path.resolve(baseDir, decodeURI(link));
    const type = TYPES[path.extname(file).toLowerCase()];
    if (!type) throw new Error(`README image ${link}: only PNG, JPEG and GIF can be embedded`);
    if (!file.startsWith(baseDir + path.sep) || !fs.existsSync(file)) throw new Error(`README image ${link} is missing`);
    return `${open}data:${type};base64,${fs.readFileSync(file).toString('base64')}${close}`;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(root, 'dist', 'README.vsix.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, embedImages(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), root));
  console.log(`wrote ${path.relative(root, out)} (${fs.statSync(out).size} bytes)`);
}
