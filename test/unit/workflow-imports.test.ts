/**
 * Workflow code runs in Temporal's deterministic sandbox: it may reach only the SDK's workflow-safe packages,
 * the pure plan model and other workflow files. This walks the real import graph from the workflow entry point,
 * following value imports (type-only imports vanish at compile time), and names any module that breaks the rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const entry = join(root, 'src', 'workflows', 'index.ts');
const ALLOWED_PACKAGES = new Set(['@temporalio/workflow', '@temporalio/common']);
const ALLOWED_DIRS = [join(root, 'src', 'workflows'), join(root, 'src', 'plan')];
const FORBIDDEN_FILES = [join(root, 'src', 'plan', 'reading', 'parse.ts')];
// The one exception: tracing's workflow side, bundled beside the workflows as a workflow interceptor module, re-exports
// the SDK's own workflow interceptors for OpenTelemetry (themselves written for the sandbox).
const tracingInterceptors = join(root, 'src', 'workflows', 'tracing-interceptors.ts');
const ALLOWED_IN_FILE = new Map([
  [tracingInterceptors, new Set(['@temporalio/interceptors-opentelemetry/lib/workflow'])],
]);

/** Value imports and re-exports of a file (type-only ones are skipped). */
function valueImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause &&
        !clause.name &&
        bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

function resolveRelative(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${relative(root, from)} imports ${spec}, which does not resolve`);
}

/**
 * Every rule broken by the import graph reachable from `start`, as "file -> import" lines; `unsaved` overrides files.
 */
function workflowImportViolations(start: string, unsaved: Map<string, string> = new Map()): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of valueImports(file, unsaved.get(file) ?? readFileSync(file, 'utf8'))) {
      const where = `${relative(root, file)} -> ${spec}`;
      if (!spec.startsWith('.')) {
        if (!ALLOWED_PACKAGES.has(spec) && !ALLOWED_IN_FILE.get(file)?.has(spec)) violations.push(where);
        continue;
      }
      const target = resolveRelative(file, spec);
      if (FORBIDDEN_FILES.includes(target) || !ALLOWED_DIRS.some((dir) => target.startsWith(dir + '/'))) {
        violations.push(where);
        continue;
      }
      queue.push(target);
    }
  }
  return violations;
}

test('workflow code reaches only @temporalio/workflow, @temporalio/common, src/plan and src/workflows', () => {
  expect(workflowImportViolations(entry)).toEqual([]);
});

test('the workflow interceptor module reaches only the SDK workflow interceptors for OpenTelemetry', () => {
  expect(workflowImportViolations(tracingInterceptors)).toEqual([]);
});

test('the check catches a workflow file that imports pg, node: modules or activity implementations', () => {
  const probe = join(root, 'src', 'workflows', 'probe.ts');
  const text = [
    "import { Pool } from 'pg';",
    "import { readFileSync } from 'node:fs';",
    "import { createActivities } from '../activities';",
    "import type { StepCall } from '../activities/types';",
    "import { parsePlanText } from '../plan/reading/parse';",
    "import { PlanState } from '../plan';",
    "import { OpenTelemetryInboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';",
  ].join('\n');
  expect(workflowImportViolations(probe, new Map([[probe, text]]))).toEqual([
    'src/workflows/probe.ts -> pg',
    'src/workflows/probe.ts -> node:fs',
    'src/workflows/probe.ts -> ../activities',
    'src/workflows/probe.ts -> ../plan/reading/parse',
    'src/workflows/probe.ts -> @temporalio/interceptors-opentelemetry/lib/workflow',
  ]);
});
