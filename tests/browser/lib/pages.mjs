// pages.mjs: the page types of the shipped content, per language, as paths
// under /help/ — the pages every accessibility check and screenshot covers.
import { promises as fsp } from 'node:fs';
import path from 'node:path';

export const LANGS = ['fr', 'en'];
export const QUESTIONNAIRE = 'choose-virtualization';

/** The compiled decision tree the questionnaire's script fetches (tree.json). */
export async function readTree(site, lang, name = QUESTIONNAIRE) {
  const text = await fsp.readFile(path.join(site, lang, 'decide', name, 'tree.json'), 'utf8');
  return JSON.parse(text).tree;
}

/** [{type, path}] for lang; the root page (language choice) is listed with fr only. */
export async function pageTypes(site, lang) {
  const tree = await readTree(site, lang);
  const ids = Object.keys(tree.nodes).sort();
  // a ranked result (runners-up, table), and a multiple-answer question with one answer ticked
  const leaf = ids.find((id) => (tree.nodes[id].ranking || []).length > 2) || ids.find((id) => tree.nodes[id].outcome);
  const multi = ids.find((id) => tree.nodes[id].question && tree.questions[tree.nodes[id].question].multiple);
  const list = [
    { type: 'home', path: `${lang}/` },
    { type: 'section', path: `${lang}/virtualisation/` },
    { type: 'article', path: `${lang}/virtualisation/lxc/` },
    { type: 'article-with-questionnaire', path: `${lang}/virtualisation/lxc-vs-kvm/` },
    { type: 'table', path: `${lang}/compare/vps-lxc-kvm/` },
    { type: 'questionnaire', path: `${lang}/decide/${QUESTIONNAIRE}/` },
    { type: 'questionnaire-result', path: `${lang}/decide/${QUESTIONNAIRE}/${leaf}/` },
    ...(multi ? [{ type: 'questionnaire-multiple', path: `${lang}/decide/${QUESTIONNAIRE}/${multi}/s-${tree.questions[tree.nodes[multi].question].answers[0].id}/` }] : []),
    { type: '404', path: `${lang}/no-such-page/` },
  ];
  if (lang === 'fr') list.unshift({ type: 'root', path: '' });
  return list;
}
