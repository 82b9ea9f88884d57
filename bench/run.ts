/** `npm run bench -- <name> [args]`: runs one benchmark and prints its report. Not part of `npm test`. */
import { compare } from './compare';
import { mirrorLag } from './mirror-lag';
import { scale } from './scale';
import { promiseCost } from './promise-cost';
import { chartFromResults } from './ratio-chart';

const BENCHMARKS: Record<string, (args: string[]) => Promise<string>> = {
  compare,
  // The same cases with DBOS Transact measured in the same sitting, side by side.
  peers: (args) => compare(args, true),
  'mirror-lag': mirrorLag,
  promises: promiseCost,
  scale,
  // Draws bench/ratios.svg again from the table in RESULTS.md.
  chart: chartFromResults,
};

async function main(): Promise<void> {
  const [name = 'compare', ...args] = process.argv.slice(2);
  const bench = BENCHMARKS[name];
  if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.stdout.write(`${await bench(args)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
