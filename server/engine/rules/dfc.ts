import { isIP } from '../util';
/** Rules for CUPM `dfc.properties`. Facts: reference 001 (rows 001-12 to 001-15, 001-31, 001-32: ports tables 2-3/2-4, restore steps). */
import { msg, ruleDocs, type Message } from '../l10n/index';
import { deleteEntryLines, type KvContext } from '../kvcontext';
import type { Rule } from '../rule';
import type { Entry } from '../parse/kv';

type DfcRule = Rule<KvContext>;

/** Ports CUPM uses itself that are not set in dfc.properties (001 tables 2-3, 2-4). */
export const RESERVED_PORTS: Record<string, Message> = {
  '46009': msg('dfc/reserved-port.owner.46009'),
  '46083': msg('dfc/reserved-port.owner.46083'),
  '46098': msg('dfc/reserved-port.owner.46098'),
  '46099': msg('dfc/reserved-port.owner.46099'),
  '46443': msg('dfc/reserved-port.owner.46443'),
  '46444': msg('dfc/reserved-port.owner.46444'),
  '46445': msg('dfc/reserved-port.owner.46445'),
  '46446': msg('dfc/reserved-port.owner.46446'),
  '46457': msg('dfc/reserved-port.owner.46457'),
};

export const isPortKey = (key: string) => key === 'dfc.webport' || key.endsWith('.port');

/** The entries that count: the last one of each key, in file order. */
function effectiveEntries(ctx: KvContext): Entry[] {
  return ctx.doc.entries.filter((e) => ctx.effective.get(e.key) === e);
}

export function isHost(s: string): boolean {
  if (isIP(s) !== 0) return true;
  if (/^[0-9.]+$/.test(s)) return false; // looks like an IPv4 address but is not one
  if (s.length > 253) return false;
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(s);
}

const syntax: DfcRule = {
  id: 'dfc/syntax',
  kind: 'cupm-properties',
  severity: 'error',
  fix: 'preferred',
  source: '001-15 (the port settings live in dfc.properties, a Java properties file)',
  docs: ruleDocs('dfc/syntax'),
  check(ctx, report) {
    for (const p of ctx.doc.syntax) report({ range: p.range, message: p.message, fixes: p.fix ? [{ ...p.fix, preferred: true }] : [] });
  },
};

const duplicateKey: DfcRule = {
  id: 'dfc/duplicate-key',
  kind: 'cupm-properties',
  severity: 'warning',
  fix: 'preferred',
  source: '001-15 (Java keeps the last value of a key)',
  docs: ruleDocs('dfc/duplicate-key'),
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const winner = ctx.effective.get(e.key)!;
      if (winner === e) continue;
      report({
        range: e.keyRange,
        message: msg('dfc/duplicate-key.message', { key: e.key, line: winner.line + 1 }),
        fixes: [{ title: msg('dfc/duplicate-key.fix', { key: e.key }), preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const portFormat: DfcRule = {
  id: 'dfc/port-format',
  kind: 'cupm-properties',
  severity: 'error',
  source: '001-13 (the ports of tables 2-3 and 2-4 are TCP ports)',
  docs: ruleDocs('dfc/port-format'),
  check(ctx, report) {
    for (const e of effectiveEntries(ctx)) {
      if (!isPortKey(e.key) || e.trailing || (e.value === '' && isKnown(e.key))) continue;
      const n = /^[0-9]+$/.test(e.value) ? Number(e.value) : NaN;
      if (n >= 1 && n <= 65535) continue;
      report({
        range: e.value === '' ? e.keyRange : e.valueRange,
        message: e.value === '' ? msg('dfc/port-format.message', { key: e.key }) : msg('dfc/port-format.message2', { value: e.value, key: e.key }),
      });
    }
  },
};

/** 001 tables 2-3 and 2-4: the port keys the custom install writes, with the port each takes when it is not set. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'dfc.webport': 80,
  'dfc.postgres.port': 5432,
  'dfc.jboss.port': 46008,
  'dfc.nice.rmi.registry.internal.port': 46001,
};
const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;
const isKnown = (k: string) => Object.hasOwn(DEFAULT_PORTS, k);
/** A port entry Java reads as a number: digits only, with no trailing blanks (those are part of the value). */
const numericPort = (e: Entry) => !e.trailing && /^[0-9]+$/.test(e.value);

const portConflict: DfcRule = {
  id: 'dfc/port-conflict',
  kind: 'cupm-properties',
  severity: 'error',
  source: '001-12 (each service needs a port of its own; a key left out keeps its default)',
  docs: ruleDocs('dfc/port-conflict'),
  check(ctx, report) {
    const seen = new Map<number, Entry>();
    // 001 (table 2-3): with the database on its own server, `dfc.postgres.port` is a port of that server, and the
    // same number on the application server is no conflict; it is compared only when the database is local.
    const host = ctx.effective.get('dfc.postgres.host');
    const remoteDb = ctx.effective.has('dfc.postgres.hostlist') || (!!host && !LOCAL_HOST.test(host.value));
    const counts = (key: string) => isPortKey(key) && !(remoteDb && key === 'dfc.postgres.port');
    const entries = effectiveEntries(ctx);
    // 001: a port key that is not set keeps its documented default, which another key must not take.
    const unset = new Map<number, string>();
    for (const [key, port] of Object.entries(DEFAULT_PORTS)) if (!ctx.effective.has(key) && counts(key)) unset.set(port, key);
    for (const e of entries) {
      if (!counts(e.key) || !numericPort(e)) continue;
      const n = Number(e.value);
      const byDefault = unset.get(n);
      if (byDefault) {
        report({ range: e.valueRange, message: msg('dfc/port-conflict.default', { n, key: byDefault }) });
        continue;
      }
      const first = seen.get(n);
      if (!first) {
        seen.set(n, e);
        continue;
      }
      report({
        range: e.valueRange,
        message: msg('dfc/port-conflict.message', { n, key: first.key, line: first.line + 1 }),
      });
    }
  },
};

const trailingBlank: DfcRule = {
  id: 'dfc/trailing-blank',
  kind: 'cupm-properties',
  severity: 'warning',
  fix: 'preferred',
  source: '001-15 (Java keeps the blanks after a value; a port with them is no number)',
  docs: ruleDocs('dfc/trailing-blank'),
  check(ctx, report) {
    for (const e of effectiveEntries(ctx)) {
      if (!e.trailing) continue;
      // A port with blanks after it is not a number any more (Java reads `46008  `); elsewhere the blanks may pass
      // unnoticed or not, so they are a warning.
      const breaks = isPortKey(e.key);
      const range = ctx.doc.index.range(e.trailing.start, e.trailing.end);
      report({
        range,
        severity: breaks ? 'error' : 'warning',
        message: msg(breaks ? 'dfc/trailing-blank.breaks' : 'dfc/trailing-blank.message', {
          key: e.key,
          value: e.value,
          n: e.trailing.text.length,
        }),
        fixes: [{ title: msg('dfc/trailing-blank.fix'), preferred: true, edits: [{ range, newText: '' }] }],
      });
    }
  },
};

const reservedPort: DfcRule = {
  id: 'dfc/reserved-port',
  kind: 'cupm-properties',
  severity: 'warning',
  source: '001-14 (the fixed JBoss ports and HTTPS 46443)',
  docs: ruleDocs('dfc/reserved-port'),
  check(ctx, report) {
    for (const e of effectiveEntries(ctx)) {
      if (!isPortKey(e.key) || !numericPort(e)) continue;
      const owner = RESERVED_PORTS[String(Number(e.value))];
      if (!owner) continue;
      report({
        range: e.valueRange,
        message: msg('dfc/reserved-port.message', { value: e.value, owner, key: e.key }),
      });
    }
  },
};

const hostFormat: DfcRule = {
  id: 'dfc/host-format',
  kind: 'cupm-properties',
  severity: 'error',
  source: '001-31 (dfc.postgres.host and hostlist name the database systems)',
  docs: ruleDocs('dfc/host-format'),
  check(ctx, report) {
    const idx = ctx.doc.index;
    const host = ctx.effective.get('dfc.postgres.host');
    if (host && host.value !== '' && !isHost(host.value)) {
      report({ range: host.valueRange, message: hostMessage(host.value) });
    }
    const list = ctx.effective.get('dfc.postgres.hostlist');
    if (!list || list.value === '') return;
    // Offsets of the items are exact when the value is written on one line without escapes.
    const raw = idx.text.slice(list.valueStart, list.valueEnd);
    const exact = raw === list.value;
    let pos = 0;
    for (const item of list.value.split(',')) {
      const start = pos + (item.length - item.trimStart().length);
      const trimmed = item.trim();
      pos += item.length + 1;
      if (trimmed !== '' && isHost(trimmed)) continue;
      const itemStart = pos - item.length - 1;
      // An empty entry is shown on the commas around it; a bad one on its own characters.
      const range = !exact
        ? list.valueRange
        : trimmed === ''
          ? idx.range(list.valueStart + Math.max(0, itemStart - 1), list.valueStart + Math.min(list.value.length, pos))
          : idx.range(list.valueStart + start, list.valueStart + start + trimmed.length);
      report({
        range,
        message: trimmed === '' ? msg('dfc/host-format.message') : hostMessage(trimmed),
      });
    }
  },
};

function hostMessage(v: string) {
  const why = v.includes('_') ? msg('dfc/host.why.underscore') : /:\d+$/.test(v) && isIP(v) === 0 ? msg('dfc/host.why.port') : msg('dfc/host.why.other');
  return msg('dfc/host.message', { host: v, why });
}

const hostAndHostlist: DfcRule = {
  id: 'dfc/host-and-hostlist',
  kind: 'cupm-properties',
  severity: 'warning',
  source: '001-32 (host for a database on one system, hostlist for several)',
  docs: ruleDocs('dfc/host-and-hostlist'),
  check(ctx, report) {
    const host = ctx.effective.get('dfc.postgres.host');
    const list = ctx.effective.get('dfc.postgres.hostlist');
    if (!host || !list) return;
    const later = host.line > list.line ? host : list;
    const other = later === host ? list : host;
    report({
      range: later.keyRange,
      message: msg('dfc/host-and-hostlist.message', { line: other.line + 1 }),
    });
  },
};

export const dfcRules: DfcRule[] = [syntax, duplicateKey, trailingBlank, portFormat, portConflict, reservedPort, hostFormat, hostAndHostlist];
