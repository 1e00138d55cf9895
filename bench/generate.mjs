// Deterministic generators for the benchmark: manifests of about N lines (valid, plus a few errors) and meta files.
export function manifest(lines) {
  const out = [
    'manifestVersion: 1',
    'product: acns',
    'title: Generated CDN upgrade',
    'from: 5.1.0',
    'to: 5.1.3',
    'maintenanceWindow:',
    '  start: 2026-12-05T22:00:00+09:00',
    '  end: 2026-12-06T04:00:00+09:00',
    'nodes:',
  ];
  const k = Math.max(2, Math.floor((lines - 12) / 8));
  for (let i = 0; i < k; i++) {
    out.push(
      `  - name: ce-${i}`,
      `    role: ${i === Math.floor(k / 2) ? 'content-engin' : 'content-engine'}`,
      `    address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    );
  }
  out.push(
    '  - name: cdm-primary',
    '    role: cdm-primary',
    'steps:',
    '  - id: backup-db',
    '    action: backup',
    '    node: cdm-primary',
    '    target: cdm-database',
  );
  for (let i = 0; i < k; i++) {
    out.push(
      `  - id: upgrade-ce-${i}`,
      '    action: upgrade',
      `    node: ${i === k - 1 ? 'ce-missing' : `ce-${i}`}`,
      '    method: gui',
      '    note: generated step',
    );
  }
  out.push('  - id: upgrade-cdm', '    action: upgrade', '    node: cdm-primary', '    method: cli', '');
  return out.join('\n');
}

export function meta(i) {
  const bad = i % 10 === 0;
  return `updateFileSize=${97205475 + i}\nversion= 5.1.${i % 10}\ndescription= generated ${i}\nupdateFileUrl= ${bad ? 'http://images.example.com:8080' : 'ftp://images.example.com'}/ACNS-5.1.${i % 10}-K9.bin\nuser=anonymous\npassword=noc@example.com\n`;
}
