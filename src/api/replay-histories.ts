/**
 * The replay gate: today's workflow code replayed over plans' histories — recorded files, or the plans still open on
 * a server. A change that would break plans already running (a command added, removed or reordered without
 * `patched()`) shows here as a determinism violation, before a deploy rather than after.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { UNTRACED_SINKS } from '../telemetry/tracing';

type History = temporal.api.history.v1.IHistory;

/** One history to replay: where it came from (a file, or a plan on a server), its workflow id, its events. */
export interface HistorySource {
  label: string;
  workflowId: string;
  history: History;
}

/** What replaying one history found: null, or the determinism violation (or other failure) it ran into. */
export interface ReplayOutcome {
  label: string;
  workflowId: string;
  error: Error | null;
  /** The error's gist, e.g. "[TMPRL1100] Nondeterminism error: Activity type of scheduled event ..."; null when ok. */
  reason: string | null;
}

/**
 * The histories in files (the JSON `temporal workflow show --output json` prints) and in folders of them (each `.json`
 * file directly inside, by name).
 */
export function historyFiles(paths: string[]): HistorySource[] {
  return paths.flatMap(filesAt).map(readHistoryFile);
}

function filesAt(path: string): string[] {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!folder) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(path, name));
}

function readHistoryFile(file: string): HistorySource {
  let history: History;
  try {
    history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new Error(`${file} is not a workflow history in JSON (${(err as Error).message})`);
  }
  // Child workflow ids derive from the plan id, so the replay needs it: the start event has it (servers since 1.25),
  // else the file is taken to be named after it, as `temporal workflow show -w ID -o json > ID.json` names it.
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return { label: file, workflowId: started?.workflowId || basename(file, '.json'), history };
}

/** The default for `openHistories`: every open workflow of the task queue (plans, their sub-plans, planAndRun). */
export function openOnTaskQueue(taskQueue: string): string {
  return `ExecutionStatus = "Running" AND TaskQueue = "${taskQueue}"`;
}

/** The histories of the workflows a visibility query finds (each run's own), fetched one at a time. */
export async function* openHistories(client: Client, query: string): AsyncIterable<HistorySource> {
  for await (const execution of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    yield { label: `plan ${execution.workflowId} (run ${execution.runId})`, workflowId: execution.workflowId, history };
  }
}

/**
 * Replays each history with the workflow bundle of `options` (bundlePlanWorkflows) and its payload codec, the way a
 * plan worker runs them, and says for each whether it replayed: a failing history is reported, not thrown.
 */
export async function* replayHistories(
  sources: Iterable<HistorySource> | AsyncIterable<HistorySource>,
  options: Pick<ReplayWorkerOptions, 'workflowBundle' | 'dataConverter'>,
): AsyncIterable<ReplayOutcome> {
  // The SDK replays one history at a time, in order, and names only the workflow id: the source being fed is the one
  // each result is about.
  let current: HistorySource | null = null;
  async function* feed() {
    for await (const source of sources) {
      current = source;
      yield { workflowId: source.workflowId, history: source.history };
    }
  }
  // The bundle's tracing interceptors need their sink, even though a replay sends no spans.
  for await (const result of Worker.runReplayHistories({ ...options, sinks: UNTRACED_SINKS }, feed())) {
    const source = current as HistorySource | null;
    const error = result.error ?? null;
    yield {
      label: source?.label ?? result.workflowId,
      workflowId: result.workflowId,
      error,
      reason: error && gist(error),
    };
  }
}

/**
 * The SDK wraps the workflow task's failure in a paragraph and the native layer's debug print of it; the failure's own
 * message is what says which command does not match which event.
 */
function gist(error: Error): string {
  return /message: "((?:[^"\\]|\\.)*)"/.exec(error.message)?.[1] ?? error.message;
}
