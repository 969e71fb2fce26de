import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanDangerousPatterns, type DangerPatternId } from '../../../server/src/governance/dangerousPatterns';

const ids = (content: string): DangerPatternId[] => scanDangerousPatterns(content).map((f) => f.patternId);

const POSITIVES: [DangerPatternId, string][] = [
  ['script-tag', '<script>alert(1)</script>'],
  ['script-tag', '<SCRIPT src="https://cdn.example.org/x.js"></SCRIPT>'],
  ['script-tag', 'text <script/src=//evil.example></script>'],
  ['iframe-tag', '<iframe src="https://example.org"></iframe>'],
  ['iframe-tag', '<IFRAME\nsrcdoc="x">'],
  ['object-embed-tag', '<object data="movie.swf"></object>'],
  ['object-embed-tag', '<embed src="x.svg">'],
  ['event-handler-attribute', '<img src=x onerror=alert(1)>'],
  ['event-handler-attribute', '<img src="a.png" onload="track()">'],
  ['event-handler-attribute', '<svg/onload=alert(1)>'],
  ['event-handler-attribute', '<body onload = "init()">'],
  ['event-handler-attribute', '<a href="#"\n   onclick="steal()">x</a>'],
  ['event-handler-attribute', '<div title="a"onmouseover="x()">'],
  ['event-handler-attribute', '<details open ontoggle=alert(1)>'],
  ['javascript-url', '[click me](javascript:alert(1))'],
  ['javascript-url', '<a href="javascript:void(0)">x</a>'],
  ['javascript-url', '<a href="javascript: alert(1)">x</a>'],
  ['javascript-url', "<a href='JavaScript:alert(1)'>x</a>"],
  ['javascript-url', '<javascript:alert(1)>'],
  ['javascript-url', '[x]: javascript:alert(1)'],
  ['javascript-url', '[x]( java\tscript:alert(1))'],
  ['javascript-url', '<a href="java\nscript:alert(1)">'],
  ['javascript-url', '<a href="&#106;avascript:alert(1)">'],
  ['javascript-url', '<a href="&#x6A;avascript&colon;alert(1)">'],
  ['javascript-url', '<a href="jav&#x09;ascript:alert(1)">'],
  ['javascript-url', '<a href="&#0000106&#0000097vascript:alert(1)">'],
  ['javascript-url', '<a href="javascript&#58;alert(1)">'],
  ['javascript-url', 'open javascript:alert(document.cookie) now'],
  ['vbscript-url', '<a href="vbscript:msgbox(1)">'],
  ['data-html-url', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'],
  ['data-html-url', '[x](data:text/html,<b>hi</b>)'],
  ['data-html-url', 'data: text/html;charset=utf-8,x'],
];

const NEGATIVES: string[] = [
  'JavaScript: the good parts is a short book.',
  'Languages used: JavaScript, TypeScript.',
  'I wrote a javascript: no, a shell script.',
  'We write JavaScript:\n\n- it runs in the browser',
  'The script tag loads the bundle; the iframe shows the preview.',
  'Set the onerror handler before onload fires.',
  'img.onerror = handler; window.onload = init;',
  'const onClick = () => save();',
  'Generic types like Map<string, Promise<void>> and Array<ExportJob> are fine.',
  'if (a < b && onload === undefined) start();',
  'Escaped markup such as &lt;script&gt; is text.',
  'A <scripts> folder, an <objective> and <embedded> content are not tags we care about.',
  'metadata:text/html is a field name, and the data: text is plain.',
  'mydata:text/html is not a data URL.',
  'xjavascript:alert(1) is not a scheme we know.',
  '<input placeholder="on the go">',
  '<a href="https://example.org/javascript/guide">guide</a>',
  '<p class="note">data is stored as text/html</p>',
];

describe('bin/dangerousPatterns', () => {
  describe('finds', () => {
    for (const [id, content] of POSITIVES) {
      it(`${id}: ${JSON.stringify(content)}`, () => {
        assert.ok(ids(content).includes(id), JSON.stringify(scanDangerousPatterns(content)));
      });
    }

    it('covers every pattern id', () => {
      const all: DangerPatternId[] = ['script-tag', 'iframe-tag', 'object-embed-tag', 'event-handler-attribute', 'javascript-url', 'vbscript-url', 'data-html-url'];
      const covered = new Set(POSITIVES.map(([id]) => id));
      for (const id of all) assert.ok(covered.has(id), id);
    });
  });

  describe('ignores ordinary text', () => {
    for (const content of NEGATIVES) {
      it(JSON.stringify(content), () => {
        assert.deepEqual(scanDangerousPatterns(content), []);
      });
    }
  });

  it('reports 1-based line and column, at the handler attribute for event handlers', () => {
    const content = 'first line\n  <img src="a.png"\n       onerror="x()">\n<script>';
    assert.deepEqual(
      scanDangerousPatterns(content).map(({ patternId, line, column }) => ({ patternId, line, column })),
      [
        { patternId: 'event-handler-attribute', line: 3, column: 8 },
        { patternId: 'script-tag', line: 4, column: 1 },
      ],
    );
  });

  it('tells findings in Markdown code from live ones', () => {
    const content = [
      'Avoid `<script>` in templates.', // inline code
      '```html',
      '<iframe src="x"></iframe>',
      '```',
      '<embed src="y">',
      '~~~',
      '<a href="javascript:go()">',
      '~~~',
    ].join('\n');
    assert.deepEqual(
      scanDangerousPatterns(content).map(({ patternId, inCode }) => ({ patternId, inCode })),
      [
        { patternId: 'script-tag', inCode: true },
        { patternId: 'iframe-tag', inCode: true },
        { patternId: 'object-embed-tag', inCode: false },
        { patternId: 'javascript-url', inCode: true },
      ],
    );
  });

  it('gives each finding a description and never more than position data', () => {
    for (const finding of scanDangerousPatterns('<script>steal()</script>')) {
      assert.deepEqual(Object.keys(finding).sort(), ['column', 'description', 'inCode', 'line', 'patternId']);
      assert.ok(finding.description.length > 0);
    }
  });

  it('stays fast on large and adversarial input', () => {
    const inputs = [
      '<a ' + ' x="1"'.repeat(100_000),
      '<a'.repeat(100_000),
      'java\t'.repeat(100_000),
      '&#106;'.repeat(100_000),
      ('The script tag and JavaScript: notes. <b>bold</b> Map<string, number>.\n').repeat(15_000),
    ];
    for (const input of inputs) {
      const started = process.cpuUsage();
      scanDangerousPatterns(input);
      const used = process.cpuUsage(started);
      assert.ok((used.user + used.system) / 1000 < 500, input.slice(0, 20));
    }
  });

  it('property: text without "<", ":" or "&" never triggers', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).map((s) => s.replace(/[<:&]/g, ' ')), (text) => {
        assert.deepEqual(scanDangerousPatterns(text), []);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
