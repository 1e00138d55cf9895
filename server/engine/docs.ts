/** Where each rule's documentation lives: generated markdown pages under docs/rules/ (see scripts/gen-docs). */
export function ruleDocPath(id: string): string {
  return `rules/${id}.md`;
}

/** GitHub-style heading anchor for a rule id, as used in docs/rules.md. */
export function ruleAnchor(id: string): string {
  return id.replace(/[^a-z0-9-]/g, '').toLowerCase();
}
