/**
 * The reference part of docs/cli.md, generated from the commands' own specs — the words `plan <command> --help`
 * prints — so the docs cannot drift from the command line (test/unit/cli-reference.test.ts holds them together).
 */
import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/main';

export const REFERENCE_START = '<!-- reference: generated from the commands (npm run docs); do not edit by hand -->';
export const REFERENCE_END = '<!-- end of reference -->';

/** The generated markdown, between the two markers. */
export function cliReference(): string {
  const parts = [
    '## Reference: every command and its options',
    '### Options for every command',
    optionTable(GLOBAL_OPTIONS),
    'PostgreSQL is `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).',
  ];
  for (const [name, entry] of Object.entries(COMMANDS)) parts.push(...commandSection(name, entry.load().spec));
  return [REFERENCE_START, ...parts, REFERENCE_END].join('\n\n');
}

function commandSection(name: string, spec: CommandSpec): string[] {
  const options = Object.keys(spec.options).length > 0 ? [optionTable(spec.options)] : [];
  return [
    `### plan ${name}`,
    '```\n' + spec.usage + '\n```',
    spec.summary.replace(/\n/g, ' '),
    ...options,
    'Example:',
    '```sh\n' + spec.example + '\n```',
  ];
}

function optionTable(options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
    const repeat = option.multiple ? ' (repeatable)' : '';
    return `| \`${flag}\`${repeat} | ${option.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| option | what it does |', '| --- | --- |', ...rows].join('\n');
}
