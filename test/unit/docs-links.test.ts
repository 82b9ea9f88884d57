/**
 * The README is short and points into docs/: a moved section or a renamed heading must not leave a reader on a dead
 * link. Every relative link and picture of README.md and docs/*.md must name a file that exists and, with a `#`, a
 * heading of that file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = join(__dirname, '..', '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const text = withoutCode(readFileSync(file, 'utf8'));
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

/** Code blocks hold `#` comments and link-like text that are not headings or links. */
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');

test.each(pages)('every relative link and picture of %s reaches a file and heading that exist', (page) => {
  const text = withoutCode(readFileSync(join(root, page), 'utf8'));
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // http(s), mailto: not ours to check offline
    const [path, anchor] = target!.split('#');
    const file = path ? resolve(dirname(join(root, page)), path) : join(root, page);
    if (!existsSync(file)) broken.push(`${target} (no file)`);
    else if (anchor && !anchors(file).has(anchor)) broken.push(`${target} (no heading)`);
  }
  expect(broken).toEqual([]);
});
