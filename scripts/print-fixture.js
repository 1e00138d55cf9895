// Prints what a fixture produces in .expect format (with messages as comments), to help write a new
// fixture's expectations. Review every line before saving it: the .expect file states what the file MUST
// produce, not what it happens to produce today. Needs `npm run compile-tests` first.
// Usage: node scripts/print-fixture.js <file>...
const path = require('node:path');
const { lintFileOnDisk, ConfigCache } = require('../out/server/node/host.js');
const { kindForPath } = require('../out/server/engine/lint.js');
const { formatDiagnostic } = require('../out/test/helpers/fixtures.js');
for (const f of process.argv.slice(2)) {
  const abs = path.resolve(f);
  const { result } = lintFileOnDisk(abs, kindForPath(abs), new ConfigCache());
  console.log(`== ${f}`);
  for (const d of result.diagnostics) console.log(`${formatDiagnostic(d)}\n    # ${d.message}`);
}
