/**
 * A local image server for remote-check tests: answers every request with `content-length: 4321` on port 80 of a
 * random 127.x.y.z address (meta files name http:// images without a port). `web` is undefined when port 80
 * cannot be bound (not root): the tests skip then. `hits` counts the requests.
 */
import * as http from 'node:http';
import { after, before } from 'node:test';

export interface ImageServer {
  host: string;
  web: http.Server | undefined;
  hits: number;
}

/** Starts the server before the suite's tests and closes it after them (call inside a `describe`). */
export function imageServerForSuite(): ImageServer {
  const s: ImageServer = {
    host: `127.${1 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`,
    web: undefined,
    hits: 0,
  };
  before(async () => {
    const web = http.createServer((_req, res) => {
      s.hits++;
      res.writeHead(200, { 'content-length': '4321' });
      res.end();
    });
    s.web = await new Promise<http.Server | undefined>((resolve) => {
      web.once('error', () => resolve(undefined));
      web.listen(80, s.host, () => resolve(web));
    });
  });
  after(() => s.web?.close());
  return s;
}
