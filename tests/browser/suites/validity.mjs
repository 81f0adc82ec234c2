// validity: html-validate (config: tests/browser/htmlvalidate.json) on every
// built page: no errors.  The config departs from html-validate:recommended
// only where the markup is legitimately fine:
// - form-dup-name: checkboxes share a name (the feedback reasons: one field,
//   several values), as radios and buttons do;
// - prefer-native-element, role "button" only: without JavaScript an answer
//   of a multiple-answer question is a link (to the page of the selection
//   with it toggled) that says with aria-pressed whether it is ticked, and
//   aria-pressed needs role="button"; a <button> could not go to that page;
// - wcag/h32 (a form needs a submit button): the search form searches as you
//   type and Enter in its single field submits it (implicit submission);
// - doctype-style, void-style, no-trailing-whitespace: spelling choices
//   (<!doctype html>, <br>, template indentation), not errors in HTML.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { htmlFiles, ROOT } from '../lib/env.mjs';
import { assert } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);

async function validate(ctx) {
  const { HtmlValidate } = require('html-validate');
  const config = JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8'));
  const hv = new HtmlValidate(config);
  const files = await htmlFiles(ctx.site);
  assert(files.length >= 20, `only ${files.length} HTML files built`);
  const errors = [];
  for (const f of files) {
    const report = await hv.validateFile(path.join(ctx.site, f));
    for (const r of report.results)
      for (const m of r.messages)
        if (m.severity === 2) errors.push(`${f}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
  }
  if (errors.length) throw new Error(`${errors.length} error(s) in ${files.length} pages:\n${errors.slice(0, 60).join('\n')}`);
}

export const tests = [{ name: 'HTML validity: html-validate finds no error in any built page', fn: validate }];
