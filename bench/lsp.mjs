// The JSON-RPC client side shared by the benchmarks (bench.mjs, cold.mjs, broken.mjs): starting a server,
// yaml-language-server's settings, the requests a server sends its client, and `initialize` with the capabilities
// an editor announces.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const P = require('vscode-languageserver-protocol/node');

/** yaml-language-server with our schema for `*.upgrade.yaml`, SchemaStore off. */
export const yamlSettings = (schema) => ({
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemas: { [pathToFileURL(schema).href]: ['*.upgrade.yaml'] },
  schemaStore: { enable: false },
  maxItemsComputed: 100000,
});

/** Answers what the servers ask of their client (settings, registrations, logs) and starts listening. */
export function listenAsClient(conn, yaml) {
  conn.onRequest(P.ConfigurationRequest.type, (p) => p.items.map((it) => (it.section === 'yaml' ? yaml : it.section === 'upgradeLint' ? {} : null)));
  conn.onRequest(P.RegistrationRequest.type, () => undefined);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('telemetry/event', () => undefined);
  conn.onRequest('custom/schema/request', () => []);
  conn.listen();
}

/** `initialize` for a workspace folder, with the capabilities the benchmarks use. */
export const initialize = (conn, dir) =>
  conn.sendRequest(P.InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        hover: { contentFormat: ['markdown'] },
        completion: { completionItem: { snippetSupport: true } },
      },
    },
  });

/** A fresh server process (`cmd`: its node arguments; `env`: added to the environment) and a connection to it. */
export function connect(cmd, env) {
  const proc = spawn(process.execPath, cmd, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
  const conn = P.createProtocolConnection(new P.StreamMessageReader(proc.stdout), new P.StreamMessageWriter(proc.stdin));
  return { proc, conn };
}

/** After `initialize`: `initialized`, then the settings, as an editor sends them. */
export async function configure(conn, yaml) {
  await conn.sendNotification(P.InitializedNotification.type, {});
  await conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: { yaml } });
}
