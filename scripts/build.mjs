// Bundles the VS Code client, the language server and the CLI with esbuild (node --production: minified, no source maps).
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
// `npm pack` and `npm publish` run `prepack` (a production build) and then `prepare` (this script without
// --production, for `npm ci` of a clone): the package must ship the production build, so `prepare` stops here.
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);
// The schemas as code first (ajv standalone): the bundles import server/engine/validators.generated.ts.
await import('./validators.mjs');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { PACKAGE_VERSION: JSON.stringify(pkg.version) },
  // ES modules first: jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow (they
  // would be left to run against node_modules, which an installed package does not have). Every other bundled
  // package either has no `module` field or an `exports` map, which takes precedence over these.
  mainFields: ['module', 'main'],
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/lsp/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/cli/cli.ts'], outfile: 'dist/cli.js' }),
]);
// The server and CLI bundles in ASCII only (issue 16): bin/code-cache.js then reads them as one-byte strings, with
// no UTF-8 decoding (~5 ms of a CLI run) and half the memory (V8 holds the source, twice while it is wrapped).
// esbuild escapes strings, regular expressions and names; what is left is in comments, kept in a build without
// --production: there each such character becomes `?` (one UTF-16 unit for one, so source maps stay right).
for (const f of ['dist/server.js', 'dist/cli.js']) {
  const text = readFileSync(f, 'utf8');
  let bad = 0;
  const out = text.replace(/^(\s*(?:\/\/|\/\*|\*).*)$/gm, (line) => line.replace(/[^\x00-\x7f]/g, '?'));
  for (const [i, line] of out.split('\n').entries())
    if (/[^\x00-\x7f]/.test(line) && bad++ < 3) console.warn(`${f}:${i + 1}: not ASCII, so the bundle is read as UTF-8 (slower): ${line.slice(0, 80)}`);
  if (out !== text) writeFileSync(f, out);
}
