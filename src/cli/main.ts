#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { InputError } from '../experiment/errors.js';
import { availableParallelism } from 'node:os';
// Command modules are imported when their command runs: `--help` and `validate` must not pay
// for loading ink, React or vega.
import { FAMILIES } from '../report/fit.js';
import { parseTimestamp } from '../report/kubectl-log.js';

const EXAMPLES = `
Examples:
  $ gridtwin run experiments/default.yaml                 run with the file's seed and replications
  $ gridtwin run experiments/default.yaml --seed 7 --runs 200 --out /tmp/r
  $ gridtwin run experiments/default.yaml --json | jq .metrics
  $ gridtwin validate experiments/default.yaml
  $ gridtwin run experiments/default.yaml --shard 0/2 --out /tmp/s0   (and --shard 1/2 --out /tmp/s1)
  $ gridtwin merge /tmp/s0 /tmp/s1 --out /tmp/r                    same bytes as one run
  $ gridtwin compare results/default ../shared/reference/thesis-testbed.yaml --fail-over 15
  $ gridtwin plot results/default                          plots/*.svg|png|vl.json and report.html
  $ gridtwin calibrate starts.csv --parameter kubelet.startup.containerStart --measured-on 2024-03-01 --profile k3s-1.24-thesis
  $ gridtwin schema > experiment.schema.json           JSON Schema for editor completion

Exit codes: 0 ok, 2 bad input (experiment file or arguments), 1 internal error.`;

export const intArg = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return n;
};

/** "i/n" with 0 ≤ i < n: shard i of n. */
export const shardArg = (value: string): { index: number; count: number } => {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(count >= 1 && index >= 0 && index < count)) throw new InvalidArgumentError('--shard must be i/n with 0 ≤ i < n, e.g. 0/4');
  return { index, count };
};

export const floatArg = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number ≥ ${min}`);
  return n;
};

export const choiceArg = (name: string, choices: readonly string[]) => (value: string): string => {
  if (!choices.includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}`);
  return value;
};

const timestampsArg = (value: string, previous: number[] = []): number[] => {
  const t = parseTimestamp(value);
  if (t === undefined) throw new InvalidArgumentError(`--disconnect ${value}: expected epoch seconds or an ISO 8601 time`);
  return [...previous, t];
};

export function buildProgram(): Command {
  const program = new Command('gridtwin')
    .description('Deterministic discrete-event simulator of smart-grid monitoring on multi-cluster Kubernetes (k3s + Liqo + Galera)')
    .version('0.1.0')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('run')
    .description('run the replications of an experiment and write summary.json and runs.csv')
    .argument('<experiment>', 'experiment file (YAML)')
    .option('--seed <n>', 'experiment seed (default: the file\'s spec.seed)', intArg('--seed', 0))
    .option('--runs <r>', 'number of replications (default: the file\'s spec.runs)', intArg('--runs', 1))
    .option('--out <dir>', 'results directory (default: results/<experiment-name>)')
    .option('--json', 'print only the summary as JSON on stdout')
    .option('--trace', 'also write the event trace of every replication (trace.jsonl)')
    .option('--no-ui', 'plain progress lines even on a terminal')
    .option('--no-plots', 'skip plots/ and report.html (draw them later with gridtwin plot)')
    .option('--workers <n>', 'worker threads for replications (results are identical for any n; on a terminal the default is 1, for the live view)', intArg('--workers', 1), availableParallelism())
    .option('--shard <i/n>', 'run only slice i of n of the replications and write shard.json (combine with gridtwin merge)', shardArg)
    .action(async (file: string, opts, cmd: Command) => {
      const workersGiven = cmd.getOptionValueSource('workers') === 'cli';
      process.exitCode = await (await import('./run.js')).runCommand(file, { ...opts, workersGiven });
    });

  program
    .command('merge')
    .description('combine the shard.json results of `run --shard i/n` into one results directory')
    .argument('<dirs...>', 'shard results directories (one per shard)')
    .requiredOption('--out <dir>', 'results directory to write')
    .option('--json', 'print only the summary as JSON on stdout')
    .option('--no-plots', 'skip plots/ and report.html')
    .action(async (dirs: string[], opts) => {
      process.exitCode = await (await import('./merge.js')).mergeCommand(dirs, opts);
    });

  program
    .command('validate')
    .description('check an experiment file and report every problem with file:line:column')
    .argument('<experiment>', 'experiment file (YAML)')
    .action(async (file: string) => {
      process.exitCode = (await import('./validate.js')).validateCommand(file);
    });

  program
    .command('compare')
    .description('compare predicted results with measurements (summary YAML, CSV of samples, or kubectl get nodes log)')
    .argument('<results-dir>', 'results directory of a run (summary.json, runs.csv)')
    .argument('<measured>', 'measurements: .yaml summary figures, .csv samples, or .log of timestamped kubectl get nodes polls')
    .option('--json', 'print the comparison as JSON')
    .option('--fail-over <pct>', 'exit 1 when a median or mean is off by more than pct percent', floatArg('--fail-over', 0))
    .option('--format <f>', 'measured file format: yaml, csv or kubectl-log (default: from the extension)', choiceArg('--format', ['yaml', 'csv', 'kubectl-log']))
    .option('--unit <u>', 'unit of measured values that name none (default s)')
    .option('--map <measured=predicted...>', 'match a measured metric with a differently named predicted one')
    .option('--metric <name>', 'kubectl log: metric name of the NotReady delays', 'virtualNodeNotReadyAfterDisconnect')
    .option('--node <name>', 'kubectl log: only this node')
    .option('--disconnect <ts...>', 'kubectl log: disconnect instants (epoch seconds or ISO 8601)', timestampsArg)
    .option('--point <i>', 'a sweep\'s results: compare point i of summary.json points', intArg('--point', 0))
    .option('--save', 'also write compare.json and the predicted-vs-measured plot into the results directory')
    .action(async (dir: string, measured: string, opts) => {
      process.exitCode = await (await import('./compare.js')).compareCommand(dir, measured, opts);
    });

  program
    .command('calibrate')
    .description('fit a parameter distribution to measured samples and write it as a models/ profile with its provenance')
    .argument('<measured>', 'measured samples: .csv (one row per trial, or metric,value) or a .log of kubectl get nodes polls')
    .requiredOption('--parameter <path>', 'dotted path of the parameter in the profile, e.g. kubelet.startup.containerStart')
    .requiredOption('--measured-on <date>', 'date the measurements were taken (YYYY-MM-DD), recorded as provenance')
    .option('--fit <family>', 'auto (lowest AIC), normal, lognormal, exponential, uniform or empirical', choiceArg('--fit', ['auto', ...FAMILIES]), 'auto')
    .option('--metric <name>', 'which measured metric (needed when the file holds several)')
    .option('--profile <name>', 'base profile models/<name>.yaml: writes models/<name>-calibrated.yaml, a copy with the parameter replaced')
    .option('--out <file>', 'output file (default models/<profile>-calibrated.yaml; without --profile, an override fragment)')
    .option('--force', 'replace the output file if it exists')
    .option('--format <f>', 'measured file format: csv or kubectl-log (default: from the extension)', choiceArg('--format', ['yaml', 'csv', 'kubectl-log']))
    .option('--unit <u>', 'unit of measured values that name none (default s)')
    .option('--node <name>', 'kubectl log: only this node')
    .option('--disconnect <ts...>', 'kubectl log: disconnect instants (epoch seconds or ISO 8601)', timestampsArg)
    .option('--json', 'print the fit as JSON')
    .action(async (measured: string, opts) => {
      process.exitCode = (await import('./calibrate.js')).calibrateCommand(measured, opts);
    });

  program
    .command('plot')
    .description('draw the plots of a results directory (plots/*.svg, .png, .vl.json) and its report.html')
    .argument('<results-dir>', 'results directory of a run')
    .option('--with <dirs...>', 'other results directories to show beside it in the box plot (one scenario each)')
    .option('--no-png', 'SVG and Vega-Lite specs only')
    .action(async (dir: string, opts) => {
      process.exitCode = await (await import('./plot.js')).plotCommand(dir, opts);
    });

  program
    .command('schema')
    .description('print the JSON Schema of experiment files (for editor completion)')
    .action(async () => {
      process.exitCode = (await import('./schema.js')).schemaCommand();
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2; // --help/--version exit 0; usage errors are bad input
    }
    if (err instanceof InputError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${(err as Error).message}\n`);
    if (process.env.GRIDTWIN_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
