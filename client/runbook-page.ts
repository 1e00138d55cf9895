/**
 * The runbook preview's page (client/runbook.ts shows it in a webview): its Content-Security-Policy, style sheet and
 * script, and the messages between it and the extension. No `vscode` import, so that unit tests can read it.
 */
import type { RunbookStep } from '../server/protocol/index';

/** What the page is sent: the picture and the texts around it, or the step to highlight. */
export type ToPage = { type: 'update'; svg: string; summary: string; message: string; selected: number; steps: number } | { type: 'highlight'; index: number };
/** What the page sends: it has loaded (and wants the picture), or a step was chosen. */
export type FromPage = { type: 'ready' } | { type: 'reveal'; index: number };

/** The index of the step whose item holds `pos`, or -1. `steps` are in document order (the manifest's). */
export function stepAt(steps: readonly RunbookStep[], pos: { line: number; character: number }): number {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const s of steps) if (le(s.itemRange.start, pos) && le(pos, s.itemRange.end)) return s.index;
  return -1;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page: the policy, the style sheet and the script. Nothing in it comes from the manifest but its file name (escaped); the picture arrives
 * by message and is put into `#timeline`. The script only reads `data-step` of a `g.step` and posts numbers.
 */
export function pageHtml(webview: { cspSource: string }, nonce: string, lang: string, title: string): string {
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  body { margin: 0; padding: 8px 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background);
    font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  #summary { margin: 0 0 8px; color: var(--vscode-descriptionForeground); }
  #summary:empty { display: none; }
  #message { margin: 16px 0; }
  #message:empty { display: none; }
  #timeline { overflow: auto; }
  #timeline svg { display: block; max-width: none; }
  g.step { cursor: pointer; outline: none; }
  g.step.selected { filter: drop-shadow(0 0 2px var(--vscode-focusBorder)); }
</style>
</head>
<body>
<p id="summary" role="status" aria-live="polite"></p>
<p id="message"></p>
<div id="timeline"></div>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('timeline');
  const summary = document.getElementById('summary');
  const message = document.getElementById('message');
  let selected = -1;
  const bars = (i) => root.querySelectorAll('g.step[data-step="' + i + '"]');
  function highlight(scroll) {
    for (const g of root.querySelectorAll('g.step.selected')) g.classList.remove('selected');
    if (selected < 0) return;
    const gs = bars(selected);
    for (const g of gs) g.classList.add('selected');
    if (scroll && gs[0] && gs[0].scrollIntoView) gs[0].scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
  function indexOf(target) {
    const g = target && target.closest ? target.closest('g.step') : null;
    if (!g) return undefined;
    const n = Number(g.getAttribute('data-step'));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }
  root.addEventListener('click', (e) => {
    const i = indexOf(e.target);
    if (i !== undefined) vscode.postMessage({ type: 'reveal', index: i });
  });
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const i = indexOf(e.target);
    if (i === undefined) return;
    e.preventDefault();
    vscode.postMessage({ type: 'reveal', index: i });
  });
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'update') {
      const focused = indexOf(document.activeElement);
      root.innerHTML = String(m.svg);
      summary.textContent = String(m.summary);
      message.textContent = String(m.message);
      selected = Number.isInteger(m.selected) ? m.selected : -1;
      highlight(false);
      // The keyboard focus stays on the step it was on.
      if (focused !== undefined) {
        const g = bars(focused)[0];
        if (g && g.focus) g.focus();
      }
    } else if (m.type === 'highlight') {
      selected = Number.isInteger(m.index) ? m.index : -1;
      highlight(true);
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
</script>
</body>
</html>`;
}
