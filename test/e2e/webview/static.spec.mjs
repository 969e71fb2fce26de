// Guards on the panel's sources that a browser test could miss: no API that
// parses a string as HTML or code anywhere in the webview, and the host's
// webview options as VS Code's security guide asks.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './harness.mjs';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const FORBIDDEN = [/\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\b/, /\.srcdoc\b/, /setAttribute\(\s*['"]on/i];

export const tests = [
  {
    name: 'static: the webview never turns a string into HTML or code',
    fn: async () => {
      const hits = [];
      for (const file of sources(join(REPO_ROOT, 'webview', 'src'))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, n) => {
            if (/^\s*(\/\/|\*)/.test(line)) return; // comments may name them
            for (const pattern of FORBIDDEN) if (pattern.test(line)) hits.push(`${file.slice(REPO_ROOT.length + 1)}:${n + 1}: ${line.trim()}`);
          });
      }
      assert.deepEqual(hits, []);
    },
  },
  {
    name: 'static: the panel host keeps command URIs off and resources to the bundle folder',
    fn: async () => {
      const text = readFileSync(join(REPO_ROOT, 'client', 'src', 'panel', 'reviewPanel.ts'), 'utf8');
      assert.match(text, /enableCommandUris: false/);
      assert.match(text, /localResourceRoots: \[(?:this\.)?bundle\]/);
      assert.match(text, /retainContextWhenHidden: false/);
      const html = readFileSync(join(REPO_ROOT, 'client', 'src', 'panel', 'panelHtml.ts'), 'utf8');
      assert.match(html, /"default-src 'none'"/);
      assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    },
  },
];
