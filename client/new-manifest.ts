/**
 * "Upgrade Lint: New Upgrade Manifest…": quick picks and input boxes (product, from, to, the nodes of each role —
 * names may be pasted as a list — and the facts the product's planner asks for), then the server's plan
 * (NEW_MANIFEST: the engine's planner, as `upgrade-lint new`) opens as a new untitled manifest, or fills the empty
 * manifest the command was run from (the code action on an empty `*.upgrade.yaml`). The questions and their
 * answers are plain data, so the command also takes a complete request as its argument (tests, other extensions).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { onlyComments } from '../server/engine/text';
import {
  NEW_MANIFEST,
  NEW_MANIFEST_COMMAND,
  PLAN_INFO,
  type NewManifestParams,
  type NewManifestResult,
  type PlanInfoParams,
  type PlanInfoResult,
} from '../server/protocol/index';

type Translate = (message: string, ...args: (string | number)[]) => string;
type ProductInfo = PlanInfoResult['products'][number];

/** Node names as typed or pasted: separated by commas, semicolons, blanks or line breaks. */
export const splitNames = (text: string): string[] => [...new Set(text.split(/[\s,;、]+/).filter((x) => x !== ''))];

export function registerNewManifest(context: vscode.ExtensionContext, t: Translate, uiLocale: () => string, getClient: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(NEW_MANIFEST_COMMAND, async (arg?: unknown) => {
      const client = getClient();
      if (!client) return undefined;
      const locale = uiLocale();
      // From the code action on an empty manifest: its URI; from a test or another extension: the whole request.
      const target = typeof arg === 'string' ? arg : undefined;
      let req: NewManifestParams | undefined =
        arg && typeof arg === 'object' ? { ...(arg as NewManifestParams), locale: locale as NewManifestParams['locale'] } : undefined;
      if (!req) {
        const info = await client.sendRequest<PlanInfoResult>(PLAN_INFO, { locale } as PlanInfoParams);
        req = await ask(info, t);
        if (!req) return undefined;
        req.locale = locale as NewManifestParams['locale'];
      }
      const r = await client.sendRequest<NewManifestResult | null>(NEW_MANIFEST, req);
      if (!r) return undefined;
      if ('error' in r) {
        void vscode.window.showErrorMessage(
          r.rule ? t('Upgrade Lint: the guide does not allow this upgrade ({0}): {1}', r.rule, r.error) : t('Upgrade Lint: {0}', r.error),
        );
        return undefined;
      }
      const open = target ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === target) : undefined;
      if (open && onlyComments(open.getText())) {
        const editor = await vscode.window.showTextDocument(open);
        await editor.edit((e) => e.replace(new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), r.text));
        return open.uri.toString();
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'upgrade-manifest', content: r.text });
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc.uri.toString();
    }),
  );
}

/** The questions, one after the other; undefined when the user gives up (Escape). */
async function ask(info: PlanInfoResult, t: Translate): Promise<NewManifestParams | undefined> {
  const product = (
    await vscode.window.showQuickPick(
      info.products.map((p) => ({ label: p.name, description: p.id, product: p })),
      { title: t('New Upgrade Manifest'), placeHolder: t('Which product is upgraded?'), ignoreFocusOut: true },
    )
  )?.product;
  if (!product) return undefined;
  const from = await pickVersion(product, t, t('Version running now (from)'), [...new Set(product.paths.map((p) => p.from))]);
  if (from === undefined) return undefined;
  const tos = [...new Set(product.paths.filter((p) => p.from === from).map((p) => p.to))];
  const to = await pickVersion(product, t, t('Version to upgrade to (to)'), tos.length ? tos : [...new Set(product.paths.map((p) => p.to))]);
  if (to === undefined) return undefined;
  const nodes: NewManifestParams['nodes'] = [];
  for (const role of product.roles) {
    const names = await vscode.window.showInputBox({
      title: t('New Upgrade Manifest: nodes'),
      prompt: t('Names of the {0} nodes, separated by commas or blanks (a pasted list works); leave empty for none.', role),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const bad = splitNames(v).find((n) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n));
        if (bad) return t('{0} is not a usable node name: use letters, digits, ".", "_" and "-".', bad);
        const taken = splitNames(v).find((n) => nodes.some((x) => x.name === n));
        return taken ? t('{0} is already a node of this plan.', taken) : undefined;
      },
    });
    if (names === undefined) return undefined;
    for (const name of splitNames(names)) nodes.push({ name, role });
  }
  if (!nodes.length) {
    void vscode.window.showWarningMessage(t('Upgrade Lint: a plan needs at least one node.'));
    return undefined;
  }
  const facts: Record<string, string | number | boolean> = {};
  for (const f of product.facts) {
    const v = await askFact(f, t);
    if (v === undefined) return undefined;
    if (v !== '') facts[f.key] = v;
  }
  const window = await vscode.window.showInputBox({
    title: t('New Upgrade Manifest: maintenance window'),
    prompt: t('Start and end, as 2026-12-19T23:00:00+09:00/2026-12-20T05:00:00+09:00; leave empty to add it later.'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || /^\S+\/\S+$/.test(v.trim()) ? undefined : t('Write start/end, or leave it empty.')),
  });
  if (window === undefined) return undefined;
  const [start, end] = window.trim().split('/');
  return { product: product.id, from, to, nodes, facts, ...(start && end ? { maintenanceWindow: { start, end } } : {}) };
}

async function pickVersion(product: ProductInfo, t: Translate, title: string, versions: string[]): Promise<string | undefined> {
  const OTHER = t('Another version…');
  const picked = await vscode.window.showQuickPick([...versions.map((v) => ({ label: v })), { label: OTHER }], {
    title: `${product.name}: ${title}`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.label !== OTHER) return picked.label;
  const typed = await vscode.window.showInputBox({
    title: `${product.name}: ${title}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : title),
  });
  return typed?.trim();
}

async function askFact(f: ProductInfo['facts'][number], t: Translate): Promise<string | number | boolean | undefined> {
  if (f.values || f.type === 'boolean') {
    const values = f.values ?? ['true', 'false'];
    const picked = await vscode.window.showQuickPick(
      values.map((v) => ({ label: v, description: String(f.default) === v ? t('default') : undefined })),
      { title: f.ask, placeHolder: f.key, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    return f.type === 'boolean' ? picked.label === 'true' : picked.label;
  }
  const typed = await vscode.window.showInputBox({
    title: f.ask,
    prompt: f.key,
    value: f.default !== undefined ? String(f.default) : '',
    ignoreFocusOut: true,
    validateInput: (v) => (f.type === 'number' && v.trim() !== '' && !/^\d+$/.test(v.trim()) ? t('A whole number, please.') : undefined),
  });
  if (typed === undefined) return undefined;
  return f.type === 'number' && typed.trim() !== '' ? Number(typed.trim()) : typed.trim();
}
