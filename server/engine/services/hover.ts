/** Hover for meta, properties and manifest files: the rules of the diagnostics under the cursor, then the documentation. */
import { msg, render, type Message } from '../l10n/index';
import { manifestPropertySchema } from '../manifest';
import { loadYaml } from '../parse/yaml';
import { RESERVED_PORTS, isPortKey } from '../rules/dfc';
import { propertyDescription, propertyTitle, productRoles, schemas, type PropertySchema } from '../schema';
import { acns, callmanager, cupm, imp, iplanet } from '../products/index';
import { compareVersions, parseVersion } from '../versions';
import type { Diagnostic, Locale, Position, Range } from '../types';
import {
  canonicalKey,
  clampPosition,
  contains,
  describeSource,
  diagnosticHovers,
  get,
  isNodeRef,
  label,
  locate,
  nodeDecl,
  parseKv,
  type HoverResult,
  type KvKind,
} from './common';

export function keyDoc(kind: KvKind, key: string, locale: Locale): string | undefined {
  const schema = schemas[kind];
  const prop: PropertySchema | undefined = schema.properties[key];
  if (!prop) {
    if (kind === 'cupm-properties' && isPortKey(key)) return render(msg('hover.portKey', { key }), locale);
    return undefined;
  }
  const lines = [`**${key}** — ${propertyTitle(prop, key, locale)}`, '', propertyDescription(prop, locale)];
  const facts: Message[] = [];
  if (schema.required?.includes(key)) facts.push(msg('hover.required'));
  if (prop['x-unit']) facts.push(msg('hover.unit', { unit: prop['x-unit'] }));
  if (prop['x-default']) facts.push(msg('hover.default', { value: prop['x-default'] }));
  if (prop['x-hint']) facts.push(msg('hover.form', { hint: prop['x-hint'] }));
  if (prop['x-example']) facts.push(msg('hover.example', { value: prop['x-example'] }));
  if (facts.length) lines.push('', ...facts.map((f) => `- ${render(f, locale)}`));
  if (prop['x-source']) lines.push('', render(msg('hover.source', { source: describeSource(prop['x-source'], locale) }), locale));
  return lines.join('\n');
}

/** Hover at a position: the rule of every diagnostic under the cursor, then the key's documentation. */
export function kvHover(kind: KvKind, text: string, pos: Position, diagnostics: Diagnostic[], locale: Locale): HoverResult | undefined {
  const doc = parseKv(kind, text);
  pos = clampPosition(doc.index, pos);
  const { parts, range: first } = diagnosticHovers(diagnostics, pos, locale);
  let range = first;
  const e = doc.entries.find((x) => x.line <= pos.line && pos.line <= x.endLine && (contains(x.keyRange, pos) || contains(x.valueRange, pos)));
  if (e) {
    const kd = keyDoc(kind, canonicalKey(kind, e.key), locale);
    if (kd) {
      parts.push(kd);
      if (kind === 'cupm-properties' && contains(e.valueRange, pos) && isPortKey(e.key) && RESERVED_PORTS[e.value]) {
        parts.push(render(msg('hover.reservedPort', { port: e.value, owner: RESERVED_PORTS[e.value] }), locale));
      }
      range = contains(e.keyRange, pos) ? e.keyRange : e.valueRange;
    }
  }
  if (!parts.length || !range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}

/** A sentence on the upgrade path from `from` to `to` for the product. */
export function upgradePathSummary(product: unknown, fromRaw: unknown, toRaw: unknown, locale: Locale): string | undefined {
  const m = upgradePathMessage(product, fromRaw, toRaw);
  return m && render(m, locale);
}

function upgradePathMessage(product: unknown, fromRaw: unknown, toRaw: unknown): Message | undefined {
  const from = parseVersion(fromRaw),
    to = parseVersion(toRaw);
  if (!from || !to) return undefined;
  const ends = { from: from.text, to: to.text };
  const cmp = compareVersions(to, from);
  if (cmp === 0) return msg('path.same', ends);
  const down = cmp < 0;
  switch (product) {
    case 'cucm-im-presence': {
      if (down) return msg(imp.copAfterRevert(from, to) ? 'path.cucm-im-presence.revert.cop' : 'path.cucm-im-presence.revert', ends);
      const t = imp.requiredUpgradeType(from, to);
      if (imp.is90(to) && !imp.supportedTo90(from)) return msg('path.cucm-im-presence.noPath', ends);
      if (!t) return msg(down ? 'path.downgrade' : 'path.upgrade', ends);
      const cop = imp.needsCop(from, to);
      if (t === 'refresh') return msg(cop ? 'path.cucm-im-presence.refresh.cop' : 'path.cucm-im-presence.refresh.noCop', ends);
      return msg(cop ? 'path.cucm-im-presence.standard.cop' : 'path.cucm-im-presence.standard.noCop', ends);
    }
    case 'callmanager':
      if (callmanager.noDirectPath(from, to)) return msg('path.callmanager.noPath', ends);
      return msg(down ? 'path.callmanager.downgrade' : 'path.callmanager.upgrade', { ...ends, order: callmanager.ORDER.join(' → ') });
    case 'cupm':
      if (cupm.supportedTo85(from, to) === false) return msg('path.cupm.noPath', ends);
      return msg(down ? 'path.cupm.downgrade' : 'path.cupm.upgrade', ends);
    case 'acns':
      if (!down) return msg('path.acns.upgrade', ends);
      return msg(acns.downgradeNeedsCdmIp(to) ? 'path.acns.downgradeCdmIp' : 'path.acns.downgrade', ends);
    case 'iplanet-messaging':
      if (!down && iplanet.is52(to) && !iplanet.supportedTo52(from)) return msg('path.iplanet-messaging.noPath', ends);
      return msg(down ? 'path.iplanet-messaging.downgrade' : 'path.iplanet-messaging.upgrade', ends);
    default:
      return msg(down ? 'path.downgrade' : 'path.upgrade', ends);
  }
}

export function propertyDoc(prop: PropertySchema & { enum?: unknown[] }, key: string, locale: Locale, product?: string, pointer?: string): string {
  const lines = [`**${key}** — ${propertyTitle(prop, key, locale)}`, '', propertyDescription(prop, locale)];
  let allowed = prop.enum;
  if (pointer && /\/nodes\/\d+\/role$/.test(pointer) && product) {
    allowed = productRoles(product);
  }
  if (allowed?.length) lines.push('', render(msg('hover.allowed', { values: allowed.map((x) => `\`${String(x)}\``).join(', ') }), locale));
  if (prop['x-hint']) lines.push('', render(msg('hover.form', { hint: prop['x-hint'] }), locale));
  return lines.join('\n');
}

export function manifestHover(text: string, pos: Position, diagnostics: Diagnostic[], locale: Locale): { markdown: string; range: Range } | undefined {
  const file = loadYaml(text);
  pos = clampPosition(file.index, pos);
  const { parts, range: first } = diagnosticHovers(diagnostics, pos, locale);
  let range = first;
  const hit = locate(file, pos);
  if (hit) {
    const m = hit.doc.value as Record<string, unknown> | undefined;
    const value = get(hit.doc.value, hit.pointer);
    if (!hit.onKey && isNodeRef(hit.pointer) && typeof value === 'string') {
      const decl = nodeDecl(hit.doc, value);
      if (decl) {
        const facts = [msg('hover.node.role', { role: label(decl.data.role ?? '?') })];
        if (decl.data.address) facts.push(msg('hover.node.address', { address: label(decl.data.address) }));
        if (decl.data.hardware) facts.push(msg('hover.node.hardware', { hardware: label(decl.data.hardware) }));
        parts.push([render(msg('hover.node.title', { name: value }), locale), '', ...facts.map((f) => `- ${render(f, locale)}`)].join('\n'));
      } else parts.push(render(msg('hover.node.undeclared', { name: value }), locale));
      range = hit.range;
    } else {
      const key = hit.pointer.split('/').pop() ?? '';
      const prop = manifestPropertySchema(hit.pointer);
      if (prop && !/^\d+$/.test(key)) {
        parts.push(propertyDoc(prop, key, locale, typeof m?.product === 'string' ? m.product : undefined, hit.pointer));
        range ??= hit.range;
      }
      if ((hit.pointer === '/from' || hit.pointer === '/to') && m) {
        const s = upgradePathMessage(m.product, m.from, m.to);
        if (s) parts.push(render(msg('hover.upgradePath', { summary: s }), locale));
      }
    }
  }
  if (!parts.length || !range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}
