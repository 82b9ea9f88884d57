/** The Temporal CLI (the binary the dev stack uses) against the suite's server, e.g. `workflow show`. */
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testStack } from './test-stack';

const TEMPORAL = join(homedir(), '.cache', 'durable-plans', 'bin', 'temporal');

/**
 * `temporal workflow show -w <id> -o json [extra]`: the history as the CLI prints it, followed by every payload's
 * data decoded from base64 — what anyone reading the history sees of the values (in clear unless encrypted).
 */
export async function workflowShow(workflowId: string, extra: string[] = []): Promise<string> {
  const args = ['workflow', 'show', '-w', workflowId, '-o', 'json', '--address', testStack().temporalAddress];
  const { stdout } = await promisify(execFile)(TEMPORAL, [...args, ...extra], { maxBuffer: 64 * 1024 * 1024 });
  return withPayloadData(stdout);
}

/** A history in JSON (payload data in base64) followed by each payload's data decoded, for searching. */
export function withPayloadData(json: string): string {
  const data = [...json.matchAll(/"data":\s*"([A-Za-z0-9+/=]*)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));
  return `${json}\n${data.map((bytes) => bytes.toString('latin1')).join('\n')}`;
}
