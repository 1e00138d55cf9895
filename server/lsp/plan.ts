/**
 * The planner over LSP: PLAN_INFO (products, roles, facts and paths, for the editor's questions) and NEW_MANIFEST
 * (the planned manifest's text, or why the guide or the request does not allow it). The planning is the engine's
 * (server/engine/planner/), as for `upgrade-lint new`.
 */
import { dynamicMsg, render } from '../engine/l10n/index';
import { newManifest, PLANNERS, type PlanRequest } from '../engine/planner/index';
import type { Locale } from '../engine/types';
import { NEW_MANIFEST, PLAN_INFO, type NewManifestParams, type NewManifestResult, type PlanInfoParams, type PlanInfoResult } from '../protocol/index';
import { requestedLocale } from './runbook';
import type { Session } from './session';

/** Requests of more nodes than this are refused (a list pasted by mistake). */
const MAX_NODES = 500;

export function registerPlan(s: Session): void {
  const { connection, guard, env } = s;
  const localeOf = (p: { locale?: unknown } | null): Locale => requestedLocale(p?.locale) ?? env.clientLocale;
  connection.onRequest(
    PLAN_INFO,
    guard('planInfo', null, (p: PlanInfoParams | null): PlanInfoResult => {
      const locale = localeOf(p);
      return {
        products: PLANNERS.map((pl) => ({
          id: pl.product,
          name: render(dynamicMsg(`product.${pl.product}.name`), locale),
          roles: [...pl.roles],
          facts: pl.facts.map((f) => ({
            key: f.key,
            ...(f.values ? { values: [...f.values] } : {}),
            type: f.type,
            ask: render(f.ask, locale),
            ...(f.default !== undefined ? { default: f.default } : {}),
          })),
          paths: pl.paths.map((x) => ({ from: x.from, to: x.to })),
        })),
      };
    }),
  );
  connection.onRequest(
    NEW_MANIFEST,
    guard('newManifest', null, (p: NewManifestParams | null): NewManifestResult | null => {
      if (!p || typeof p.product !== 'string' || !Array.isArray(p.nodes) || p.nodes.length > MAX_NODES) return null;
      const locale = localeOf(p);
      const req: PlanRequest = {
        product: p.product as PlanRequest['product'],
        from: String(p.from ?? ''),
        to: String(p.to ?? ''),
        nodes: p.nodes.filter((n) => n && typeof n.name === 'string' && typeof n.role === 'string').map((n) => ({ name: n.name, role: n.role })),
        facts: Object.fromEntries(
          Object.entries(p.facts && typeof p.facts === 'object' ? p.facts : {}).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)),
        ),
        ...(typeof p.title === 'string' && p.title ? { title: p.title } : {}),
        ...(typeof p.maintenanceWindow?.start === 'string' && typeof p.maintenanceWindow.end === 'string'
          ? { maintenanceWindow: { start: p.maintenanceWindow.start, end: p.maintenanceWindow.end } }
          : {}),
      };
      const r = newManifest(req, locale);
      return r.ok ? { text: r.text } : { error: render(r.message, locale), ...(r.rule ? { rule: r.rule } : {}) };
    }),
  );
}
