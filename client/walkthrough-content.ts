/**
 * What the "Get started" walkthrough's commands put into the editor: the broken examples (copies of files in
 * examples/, which the VSIX does not ship; test/unit/walkthrough.test.ts keeps them equal), the GitHub Actions
 * workflow and the walkthrough's identity. No `vscode` import, so the unit tests can read it.
 */

/** The walkthrough's id in package.json (`contributes.walkthroughs[0].id`). */
export const WALKTHROUGH_ID = 'getStarted';

/** The three languages upgrade-lint checks. */
export const LANGUAGES = ['acns-meta', 'cupm-properties', 'upgrade-manifest'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Example {
  language: Language;
  /** The file in examples/ the text is a copy of. */
  file: string;
  /** Its label in the quick pick (an l10n bundle key). */
  label: string;
  text: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    language: 'acns-meta',
    file: 'examples/acns/broken/ACNS-5.1.3-lab.meta',
    label: 'A broken ACNS meta file',
    text: `# Copied from the lab and edited at 2 a.m.
updateFileSize=97,205,475
version= 5.1.3
description= lab image server
updatefileurl= http://lab-web.example.com:8080/acns/ACNS-5.1.3-K9.bin
user=labadmin
password=Winter2026!
CDM-IP=10.1.0.2
`,
  },
  {
    language: 'cupm-properties',
    file: 'examples/cupm/broken/dfc.properties',
    label: 'A broken CUPM dfc.properties',
    text: `# dfc.properties after a hurried restore on the new database servers
dfc.webport=46443
dfc.jboss.port=46008
dfc.postgres.port=46008
dfc.nice.rmi.registry.internal.port=46001x
dfc.postgres.host=cupm_db01
dfc.postgres.hostlist=cupm-db01.example.co.jp,,cupm-db02.example.co.jp:5432
dfc.postgres.database=cupm
dfc.postgres.database=cupm85
`,
  },
  {
    language: 'upgrade-manifest',
    file: 'examples/imp/broken/branch-imp.upgrade.yaml',
    label: 'A broken upgrade manifest (IM and Presence 8.5(1) to 9.0(1))',
    text: `manifestVersion: 1
product: cucm-im-presence
title: Branch IM and Presence to 9.0(1)
from: 8.5(1)
to: 9.0(1)
upgradeType: standard
nodes:
  - name: imp-pub
    role: publisher
    hardware: MCS-7825-H3
  - name: imp-sub
    role: subscriber
    hardware: MCS-7835-I3
  - name: imp-spare
    role: subscriber
steps:
  - id: drs
    action: backup
    node: imp-pub
    target: drs
  - id: up-pub
    action: upgrade
    node: imp-pub
  - id: up-sub
    action: upgrade
    node: imp-sub
`,
  },
];

/** Where "New GitHub Actions Workflow" puts the workflow in the workspace folder. */
export const WORKFLOW_PATH = '.github/workflows/upgrade-lint.yml';

/**
 * What the user fills in: upgrade-lint is not on the npm registry, so the workflow names the user's copy of its
 * repository (it is a GitHub Action, action.yml), at a tag or commit. The editor offers them as snippet tab stops.
 */
export const WORKFLOW_PLACEHOLDERS = ['<owner>', '<tag>'] as const;

/**
 * The GitHub Actions workflow: the repository's action lints the checkout, each problem an annotation on its line,
 * and fails the job while an error (or a warning) remains. walkthrough/ci.md shows the same text (the unit test
 * keeps them equal, and the inputs those of action.yml).
 */
export function ciWorkflow(): string {
  return `name: upgrade-lint
on: [push, pull_request]
permissions:
  contents: read
  # security-events: write # with sarif: true
jobs:
  upgrade-lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      # upgrade-lint is not on the npm registry: name your copy of its repository, at a tag or commit.
      - uses: <owner>/upgrade-lint@<tag>
        with:
          files: .
          args: --max-warnings 0
          # sarif: true # also as code-scanning alerts (a public repository or GitHub Advanced Security)
`;
}
