/** A strict XML parse for tests (sax): throws on anything not well formed; one root element. */
import assert from 'node:assert/strict';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export function parseXml(text: string): XmlNode {
  const sax = require('sax') as {
    parser(
      strict: boolean,
      opts: object,
    ): {
      onopentag: (n: { name: string; attributes: Record<string, string> }) => void;
      onclosetag: () => void;
      ontext: (t: string) => void;
      onerror: (e: Error) => void;
      write(s: string): { close(): void };
    };
  };
  const p = sax.parser(true, {});
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  p.onopentag = (n) => {
    const node = { name: n.name, attrs: n.attributes, children: [], text: '' };
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  };
  p.onclosetag = () => void stack.pop();
  p.ontext = (t) => void (stack[stack.length - 1].text += t);
  p.onerror = (e) => {
    throw e;
  };
  p.write(text).close();
  assert.equal(stack.length, 1, 'every element closed');
  assert.equal(root.children.length, 1, 'one root element');
  return root.children[0];
}
