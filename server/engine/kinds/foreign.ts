/**
 * Files of other formats that share a kind's file names. `*.meta` is also the extension of the metadata file Unity
 * writes beside every asset and folder (YAML: `fileFormatVersion: 2`, `guid: <32 hex digits>`, an importer), and of
 * Cocos Creator's (JSON). Linted as ACNS meta files they would get a screenful of false errors; they get nothing.
 *
 * The decision needs positive evidence of the other format, never mere absence of ACNS keys: a real ACNS meta file,
 * however broken (`updatefilesize=`, `version: 5.1.3`, comments only, empty), is always claimed. It reads only the
 * head of the text (SNIFF_CHARS), so it costs the same for any file and a reader may look at that much only.
 *
 * This module imports nothing: the VS Code client uses it too (it hands such a file to the YAML or JSON language),
 * so that the editor, the language server and the CLI decide alike.
 */

/** The other formats recognised: Unity's metadata (YAML), any YAML with a `%YAML` directive, a JSON object. */
export type ForeignFormat = 'unity-yaml' | 'yaml' | 'json';

/** The VS Code language a file of each format is handed to. */
export const FOREIGN_LANGUAGE: Readonly<Record<ForeignFormat, string>> = { 'unity-yaml': 'yaml', yaml: 'yaml', json: 'json' };

/** How much of the text the decision reads. */
export const SNIFF_CHARS = 4096;

/** The first line of every Unity metadata file (`fileFormatVersion: 2` since Unity 3.5). */
const UNITY_VERSION = /^fileFormatVersion:[ \t]*\d+[ \t]*$/;
/** Its second line: the asset's GUID, 32 hexadecimal digits. */
const UNITY_GUID = /^guid:[ \t]*[0-9a-fA-F]{32}[ \t]*$/;
/** A YAML directive, which no ACNS meta file starts with. */
const YAML_DIRECTIVE = /^%YAML[ \t]+1\.\d+([ \t]|$)/;
/** A JSON object: `{` and a quoted key and its colon, or `{}`. */
const JSON_OBJECT = /^[ \t\r\n]*\{[ \t\r\n]*("(?:[^"\\\r\n]|\\.)*"[ \t\r\n]*:|\}[ \t\r\n]*$)/;
/**
 * A line as ACNS writes it: `key=value` with the key at the start of the line. Unity and YAML have none at the start
 * of a line (their `=` are in values, after a colon), JSON has none outside strings; one such line claims the file.
 */
const KV_LINE = /^[A-Za-z][\w.-]*[ \t]*=/m;

/**
 * The other format a `*.meta` text is in, when its head shows one; undefined for anything that may be an ACNS meta
 * file (which is then linted as one).
 */
export function foreignMetaFormat(text: string): ForeignFormat | undefined {
  let head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const format = JSON_OBJECT.test(head) ? 'json' : yamlFormat(head);
  return format && !KV_LINE.test(head) ? format : undefined;
}

function yamlFormat(head: string): ForeignFormat | undefined {
  // The first lines that say something: neither blank nor a `#` comment (both formats have them).
  const lines: string[] = [];
  let at = 0;
  while (at < head.length && lines.length < 2) {
    let end = head.indexOf('\n', at);
    if (end < 0) end = head.length;
    const line = head.slice(at, end).replace(/\r$/, '');
    at = end + 1;
    const t = line.trim();
    if (t && !t.startsWith('#')) lines.push(line);
  }
  if (!lines.length) return undefined;
  if (UNITY_VERSION.test(lines[0]) || lines.some((l) => UNITY_GUID.test(l))) return 'unity-yaml';
  return YAML_DIRECTIVE.test(lines[0]) ? 'yaml' : undefined;
}
