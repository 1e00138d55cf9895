/**
 * The manifest the headless editor tests (Neovim, Emacs) open: the CDM upgraded before a content engine
 * (acns/cdm-last, reported on the content engine's upgrade: the later of two swapped steps), written in flow style
 * so that positions in it are easy to name.
 */
export const ACNS_CDM_FIRST_PLAN = [
  'manifestVersion: 1',
  'product: acns',
  'from: 5.1.0',
  'to: 5.1.3',
  'nodes:',
  '  - { name: ce-1, role: content-engine, address: 10.1.0.11 }',
  '  - { name: cdm-a, role: cdm-primary }',
  'steps:',
  '  - { id: backup, action: backup, node: cdm-a, target: cdm-database }',
  '  - { id: up-cdm, action: upgrade, node: cdm-a, method: cli }',
  '  - { id: up-ce, action: upgrade, node: ce-1 }',
  '',
].join('\n');
