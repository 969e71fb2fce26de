import assert from 'node:assert/strict';
import { checkOutput } from '../../../server/src/templates/validators';

/**
 * XML output must be well-formed in the XML 1.0 sense (§2.1): one root
 * element, and outside it only the prolog (XML declaration at the very
 * start, comments, processing instructions, one DOCTYPE before the root)
 * and trailing comments, PIs and whitespace. fast-xml-parser's XMLValidator
 * checks tags and attributes but not the document's shape.
 */

const rules = { output: 'xml' as const, requiredSections: [], frontmatterFields: [] };

function xmlErrors(content: string): string[] {
  return checkOutput(content, rules).errors.map((e) => `${e.code}: ${e.message}`);
}

describe('xml output: well-formed documents', () => {
  for (const [name, content] of [
    ['a lone root', '<doc/>'],
    ['a declaration, comments, a PI and a DOCTYPE around the root', '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by a template -->\n<?xml-stylesheet href="s.xsl"?>\n<!DOCTYPE doc>\n<doc a="1">x &amp; y &#233; &#xE9;</doc>\n<!-- end -->\n<?done?>\n'],
    ['a BOM before the declaration', '\uFEFF<?xml version="1.0"?><doc/>'],
    ['CDATA and nested elements', '<doc><a><![CDATA[ <not> & markup ]]></a><b x="&lt;&quot;"/></doc>'],
    ['entities a DOCTYPE declares', '<!DOCTYPE doc [<!ENTITY e "x">]><doc>&e;</doc>'],
    ['a > in an attribute value', '<doc a="x > y"/>'],
  ] as const) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(xmlErrors(content), []);
    });
  }
});

describe('xml output: what XMLValidator lets through', () => {
  for (const [name, content, pattern] of [
    ['a second root element', '<doc>one</doc><second-root/>', /line 1, column 15\): a second root element <second-root>; an XML document has exactly one/],
    ['a second root on a later line', '<?xml version="1.0"?>\n<doc>\n</doc>\n<doc/>\n', /line 4, column 1\): a second root element <doc>/],
    ['text after the root', '<doc/>\ntrailing words', /line 2, column 1\): text outside the root element/],
    ['text before the root, after a comment', '<!-- c -->words<doc/>', /line 1, column 11\)/],
    ['an XML declaration after the root', '<doc/>\n<?xml version="1.0"?>', /line 2, column 1\): the XML declaration is allowed only at the very start/],
    ['a second XML declaration', '<?xml version="1.0"?><?xml version="1.0"?><doc/>', /XML declaration (is )?allowed only at the (very )?start/],
    ['CDATA outside the root', '<doc/><![CDATA[x]]>', /CDATA section outside the root element/],
    ['a DOCTYPE after the root', '<doc/><!DOCTYPE doc>', /DOCTYPE must come before the root element/],
    ['two DOCTYPEs', '<!DOCTYPE a><!DOCTYPE a><a/>', /only one DOCTYPE/],
    ['an entity reference outside the root', '<doc/>&amp;', /outside the root element/],
    ['an undeclared entity', '<doc>&nbsp;</doc>', /undeclared entity "&nbsp;".*&#160;/],
    ['an undeclared entity in an attribute', '<doc a="&copy;"/>', /undeclared entity "&copy;"/],
    ['a character reference to a character XML forbids', '<doc>&#0;</doc>', /character reference "&#0;"/],
    ['a character reference beyond Unicode', '<doc>&#x110000;</doc>', /character reference "&#x110000;"/],
    ['a < in an attribute value', '<doc a="x < y"/>', /"<" in the value of attribute "a"/],
    ['"]]>" in text', '<doc>a ]]> b</doc>', /"\]\]>" in text/],
    ['"--" inside a comment', '<doc><!-- a -- b --></doc>', /"--" inside a comment/],
    ['a comment ending in "--->"', '<doc><!-- a ---></doc>', /"--" inside a comment/],
    ['no root element, only a comment', '<!-- nothing else -->', /XML_MALFORMED/],
  ] as const) {
    it(`reports ${name}`, () => {
      const errors = xmlErrors(content);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0] ?? '', /^XML_MALFORMED: The XML is not well-formed/);
      assert.match(errors[0] ?? '', pattern);
    });
  }

  it('reports one problem for a malformed document, not the structure on top of the syntax', () => {
    assert.equal(xmlErrors('<a><b></a><c/>').length, 1);
  });

  it('checks a large document in linear time', () => {
    const body = '<m id="x">text &amp; more</m>\n'.repeat(40_000);
    const started = performance.now();
    assert.deepEqual(xmlErrors(`<doc>\n${body}</doc>\n`), []);
    const twoRoots = xmlErrors(`<doc>\n${body}</doc>\n<doc/>`);
    assert.match(twoRoots[0] ?? '', /line 40003, column 1\): a second root element/);
    // A scan per text run to the end of the document would take minutes here; a loaded CI machine takes about a second.
    assert.ok(performance.now() - started < 10_000);
  });
});
