import assert from 'node:assert/strict';
import { templateChecks } from '../../../server/src/language/templateChecks';
import { checkTemplateText } from '../../../server/src/templates/check';
import { analyzeTemplateFile } from '../../../server/src/templates/templateFile';

const URI = 'file:///workspace/.devguide/templates/spec.hbs';
const TEXT = '---\nname: Spec\nrequired_sections: [Description, Instructions]\n---\n## Description\n{{{content}}} {{unknownVariable}}\n';
const ORIGIN = { id: 'spec', path: '/workspace/.devguide/templates/spec.hbs', builtin: false };

describe('template checks (quick and full passes)', () => {
  it('gives what analyzeTemplateFile and checkTemplateText give', async () => {
    const checks = templateChecks();
    const quick = await checks.quick(TEXT, URI);
    assert.deepEqual(quick.issues, analyzeTemplateFile(TEXT, ORIGIN).issues);
    assert.equal(quick.complete, false);
    assert.deepEqual(await checks.full(TEXT, URI), checkTemplateText(TEXT, ORIGIN));
    // A full pass of a text the quick pass has not seen analyzes it itself.
    const other = TEXT.replace('## Description', '## Description\n\nMore.');
    assert.deepEqual(await checks.full(other, URI), checkTemplateText(other, ORIGIN));
  });

  it('reuses the quick pass analysis for the full pass of the same text, not of another one', async () => {
    const checks = templateChecks(() => false); // no sample render: full is the analysis alone
    const quick = await checks.quick(TEXT, URI);
    assert.equal(quick.complete, true);
    assert.equal(await checks.full(TEXT, URI), quick.issues);
    assert.notEqual(await checks.full(TEXT, `${URI}.other.hbs`), quick.issues);
    const edited = TEXT.replace('Spec', 'Spec 2');
    assert.notEqual(await checks.full(edited, URI), quick.issues);
  });
});
