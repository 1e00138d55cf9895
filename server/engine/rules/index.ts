/**
 * The rule registry: every rule id the engine can report, with its docs. Docs (docs/rules.md), SARIF rule
 * metadata, hovers and the README's rule list are all generated from this one list.
 */
import type { RuleMeta } from '../rule';
import { acnsRules } from './acns';
import { ccmRules } from './ccm';
import { cupmRules } from './cupm';
import { dfcRules } from './dfc';
import { impRules } from './imp';
import { imsRules } from './ims';
import { manifestRules, type ManifestRule } from './manifest';
import { metaRules } from './meta';

const kw = (keyword: string, en: string, ja: string, enDetails: string, jaDetails: string): RuleMeta => ({
  id: `schema/${keyword}`, kind: 'any', severity: 'error', source: 'schemas/ (JSON Schema)',
  docs: { en: { summary: en, details: enDetails }, ja: { summary: ja, details: jaDetails } },
});

/** Structure problems found by the JSON Schemas in `schemas/`, one id per JSON Schema keyword. */
export const schemaRules: RuleMeta[] = [
  kw('required', 'A required key is missing.', '必須のキーがありません。', 'The file lacks a key the product needs (for a meta file: `updateFileSize`, `version`, `updateFileUrl`). The problem is shown on the first setting of the file; the quick fix adds the key at the end.', '製品が必要とするキーがありません（メタファイルでは `updateFileSize`、`version`、`updateFileUrl`）。問題はファイルの最初の設定に表示され、クイック フィックスで末尾にキーを追加できます。'),
  kw('additionalProperties', 'An unknown key.', '不明なキーです。', 'The key is not part of the format, most often a typo. The message lists the keys the format knows; when one is close, a quick fix renames the key.', 'このキーは形式に含まれていません。多くは入力ミスです。メッセージに使用できるキーを示し、近いキーがあればクイック フィックスで名前を変更できます。'),
  kw('pattern', 'A value has the wrong form.', '値の形式が正しくありません。', 'The value does not match the form the key requires (digits only for a size, `MAJOR.MINOR.MAINT` for a version, an ftp:// or http:// URL, an IPv4 address…). The message says what is expected.', 'キーが要求する形式と値が一致しません（サイズは数字のみ、バージョンは `MAJOR.MINOR.MAINT`、URL は ftp:// または http://、IPv4 アドレスなど）。メッセージに期待される形式を示します。'),
  kw('minLength', 'A value is empty.', '値が空です。', 'The key is present but has no value after `=`. The product then reads an empty string and fails when it needs the setting; fill in the value, or remove the line to use the default.', 'キーはありますが、`=` の後に値がありません。製品は空の文字列を読み込み、その設定が必要になった時点で失敗します。値を記入するか、デフォルトを使う場合は行を削除してください。'),
  kw('type', 'A value has the wrong type.', '値の型が正しくありません。', 'The value is of another type than the key takes (for example a list where a single value is expected).', 'キーが受け付けるものとは別の型の値です（単一の値が必要な場所にリストがある場合など）。'),
  kw('const', 'A value must be exactly one fixed value.', '値は決まった 1 つの値である必要があります。', 'The key takes exactly one value; for `manifestVersion` that is `1`.', 'このキーは決まった 1 つの値だけをとります。`manifestVersion` では `1` です。'),
  kw('minItems', 'A list is empty.', 'リストが空です。', 'The list must have at least one entry: a manifest needs at least one node and one step.', 'リストには少なくとも 1 件必要です。マニフェストには少なくとも 1 つのノードと 1 つの手順が必要です。'),
  kw('minimum', 'A number is too small.', '数値が小さすぎます。', 'The number is below the smallest value the key accepts (for example a negative memory size).', '数値がキーの受け付ける最小値を下回っています（負のメモリ サイズなど）。'),
  kw('enum', 'A value is not one of the allowed values.', '値が許可された値のいずれでもありません。', 'The key takes one of a fixed set of values; the message lists them.', 'このキーは決まった値のいずれかをとります。メッセージに一覧を示します。'),
];

/** Opt-in checks that ask the image's server (server/node/remote.ts); off unless upgradeLint.remoteChecks / --remote-checks. */
export const remoteRules: RuleMeta[] = [
  { id: 'meta/remote-size-mismatch', kind: 'acns-meta', severity: 'error', fix: 'preferred', source: '002 table 7-1 (updateFileSize is the size of the image)',
    docs: { en: { summary: 'With remote checks on: `updateFileSize` equals the size the image server reports.', details: 'When remote checks are enabled (setting `upgradeLint.remoteChecks`, CLI `--remote-checks`; never in an untrusted workspace), upgrade-lint asks the server named by `updateFileUrl` for the image size — HTTP HEAD (Content-Length) on port 80, or FTP SIZE with the file\'s user and password — and compares it with `updateFileSize`. The quick fix sets the size the server reported.' }, ja: { summary: 'リモート検査が有効な場合: `updateFileSize` がイメージ サーバの報告するサイズと一致すること。', details: 'リモート検査を有効にすると（設定 `upgradeLint.remoteChecks`、CLI `--remote-checks`。信頼されていないワークスペースでは常に無効）、upgrade-lint は `updateFileUrl` のサーバにイメージ サイズを問い合わせ（ポート 80 の HTTP HEAD の Content-Length、またはファイルの user と password を使った FTP SIZE）、`updateFileSize` と比較します。クイック フィックスでサーバが報告したサイズに設定します。' } } },
  { id: 'meta/remote-unreachable', kind: 'acns-meta', severity: 'warning', source: 'upgrade-lint remote checks',
    docs: { en: { summary: 'With remote checks on: the image server answers.', details: 'The server named by `updateFileUrl` could not be asked for the image size: it did not answer within the timeout (5 s), refused the connection or the login, answered with an error, or sent something that is not HTTP or FTP. The message gives the reason; credentials are never shown.' }, ja: { summary: 'リモート検査が有効な場合: イメージ サーバが応答すること。', details: '`updateFileUrl` のサーバにイメージ サイズを問い合わせられませんでした。タイムアウト（5 秒）以内に応答がない、接続またはログインが拒否された、エラーが返された、または HTTP や FTP ではない応答があった場合です。メッセージに理由を示します。資格情報は表示しません。' } } },
];

/** Problems with the file as a whole, and with the configuration. */
export const fileRules: RuleMeta[] = [
  { id: 'file/too-large', kind: 'any', severity: 'warning', source: 'upgrade-lint limits',
    docs: { en: { summary: 'The file is too large to validate.', details: 'Files larger than the limit (setting `upgradeLint.maxFileSize`, default 10 MB) are not parsed, so that the editor stays responsive. Meta and properties files are a few hundred bytes; a file this large is usually not the file you meant.' }, ja: { summary: 'ファイルが大きすぎて検査できません。', details: '上限（設定 `upgradeLint.maxFileSize`、既定 10 MB）を超えるファイルは、エディタの応答性を保つため解析しません。メタファイルやプロパティ ファイルは数百バイトです。これほど大きいファイルは、多くの場合意図したファイルではありません。' } } },
  { id: 'file/binary', kind: 'any', severity: 'error', source: 'upgrade-lint',
    docs: { en: { summary: 'The file holds binary data, not text.', details: 'The file contains NUL bytes or mostly control characters — for example an image saved under the meta file\'s name. It is not validated further.' }, ja: { summary: 'ファイルがテキストではなくバイナリ データを含んでいます。', details: 'NUL バイトや大量の制御文字が含まれています（イメージ ファイルをメタファイルの名前で保存した場合など）。これ以上は検査しません。' } } },
  { id: 'file/encoding', kind: 'any', severity: 'warning', source: 'upgrade-lint',
    docs: { en: { summary: 'The file is not valid UTF-8.', details: 'Some bytes are not valid UTF-8 (often a file saved as Shift_JIS). They are shown as U+FFFD and the rest of the file is validated; values containing them may be misread by the product too. Save the file as UTF-8 (or plain ASCII).' }, ja: { summary: 'ファイルが正しい UTF-8 ではありません。', details: 'UTF-8 として正しくないバイトがあります（多くは Shift_JIS で保存されたファイル）。それらは U+FFFD として扱い、残りを検査します。これを含む値は製品側でも誤読される可能性があります。UTF-8（または ASCII）で保存してください。' } } },
  { id: 'file/unreadable', kind: 'any', severity: 'error', source: 'upgrade-lint',
    docs: { en: { summary: 'The file could not be read, so it was not checked.', details: 'upgrade-lint reads only regular files: a FIFO, socket or device named like a file it checks (often a symlink committed to a repository) is not opened, so that nothing can make a run hang or read without end. A file it has no permission to read, or one that vanished while the run went on, gets this diagnostic too. The run goes on with the other files, and its exit code says an error remains: a file that was not checked never passes silently.' }, ja: { summary: 'ファイルを読み取れなかったため、検査していません。', details: 'upgrade-lint は通常のファイルだけを読み取ります。検査対象と同じ名前の FIFO、ソケット、デバイス（多くはリポジトリにコミットされたシンボリック リンク）は開かないため、実行が止まったり際限なく読み続けたりすることはありません。読み取り権限のないファイルや、実行中に消えたファイルにもこの診断を出します。ほかのファイルの検査は続き、終了コードはエラーが残ったことを示します。検査していないファイルが黙って合格になることはありません。' } } },
  { id: 'file/too-many-problems', kind: 'any', severity: 'information', source: 'upgrade-lint limits',
    docs: { en: { summary: 'More problems than the per-file limit.', details: 'Only the first problems up to the limit (setting `upgradeLint.maxDiagnostics`, default 1000) are listed; this one says how many were left out.' }, ja: { summary: 'ファイルあたりの上限を超える問題があります。', details: '上限（設定 `upgradeLint.maxDiagnostics`、既定 1000）までの問題だけを表示し、この診断で省略した数を示します。' } } },
  { id: 'yaml/syntax', kind: 'upgrade-manifest', severity: 'error', source: 'YAML 1.2',
    docs: { en: { summary: 'The manifest is not valid YAML.', details: 'The YAML parser stopped at this place (bad indentation, an unclosed bracket or quote, a tab used for indentation, a duplicate key…). A document with a syntax error is not checked further until it parses.' }, ja: { summary: 'マニフェストが正しい YAML ではありません。', details: 'YAML パーサがこの位置で停止しました（インデントの誤り、閉じていない括弧や引用符、インデントへのタブの使用、キーの重複など）。構文エラーのあるドキュメントは、解析できるようになるまでそれ以上検査しません。' } } },
  { id: 'yaml/too-many-aliases', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint limits',
    docs: { en: { summary: 'YAML aliases expand beyond the limit.', details: 'Anchors and aliases (`&a`, `*a`) are fine, but a document whose aliases expand to more than 10,000 nodes (for example nested aliases that double at each level, an "alias bomb") is refused with this one diagnostic instead of being expanded.' }, ja: { summary: 'YAML エイリアスの展開が上限を超えています。', details: 'アンカーとエイリアス（`&a`、`*a`）は使えますが、展開すると 10,000 ノードを超えるドキュメント（段ごとに倍増する入れ子のエイリアス、いわゆるエイリアス爆弾など）は、展開せずにこの 1 件の診断で拒否します。' } } },
  { id: 'yaml/too-deep', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint limits',
    docs: { en: { summary: 'The manifest nests collections too deeply to be parsed.', details: 'A manifest needs about six levels of nesting (a step inside the steps list inside the document). A document that nests lists or mappings more than 64 levels deep — most often a generated or damaged file — is refused with this one diagnostic before it is parsed, so that it cannot exhaust the parser\'s stack or memory.' }, ja: { summary: 'マニフェストのコレクションの入れ子が深すぎて解析できません。', details: 'マニフェストに必要な入れ子は 6 段程度です（ドキュメントの中の steps リストの中の手順など）。リストやマッピングの入れ子が 64 段を超えるドキュメント（多くは生成されたか壊れたファイル）は、パーサのスタックやメモリを使い果たさないよう、解析する前にこの 1 件の診断で拒否します。' } } },
  { id: 'config/invalid', kind: 'any', severity: 'error', source: 'upgrade-lint configuration',
    docs: { en: { summary: '`.upgrade-lint.json` is malformed.', details: 'The configuration file is not valid JSON, has an unknown key, names a rule that does not exist or gives a severity other than off, error, warning, information or hint. The parts that are valid still apply; validation never stops because of it.' }, ja: { summary: '`.upgrade-lint.json` が正しくありません。', details: '設定ファイルが正しい JSON でない、不明なキーがある、存在しないルールを指定している、または off・error・warning・information・hint 以外の重大度を指定しています。正しい部分は引き続き適用され、これが原因で検査が止まることはありません。' } } },
];

export const manifestRuleList: ManifestRule[] = [...manifestRules, ...acnsRules, ...impRules, ...ccmRules, ...cupmRules, ...imsRules];

export const checkRules = [...metaRules, ...dfcRules, ...manifestRuleList];

export const allRules: RuleMeta[] = [...checkRules, ...remoteRules, ...schemaRules, ...fileRules];

const byId = new Map(allRules.map((r) => [r.id, r]));
export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

export { metaRules, dfcRules };
