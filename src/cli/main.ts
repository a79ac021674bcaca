#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { InputError } from '../experiment/errors.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { validateCommand } from './validate.js';

const EXAMPLES = `
Examples:
  $ gridtwin run experiments/default.yaml                 run with the file's seed and replications
  $ gridtwin run experiments/default.yaml --seed 7 --runs 200 --out /tmp/r
  $ gridtwin run experiments/default.yaml --json | jq .metrics
  $ gridtwin validate experiments/default.yaml
  $ gridtwin schema > experiment.schema.json           JSON Schema for editor completion

Exit codes: 0 ok, 2 bad input (experiment file or arguments), 1 internal error.`;

export const intArg = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return n;
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
    .action(async (file: string, opts) => {
      process.exitCode = await runCommand(file, opts);
    });

  program
    .command('validate')
    .description('check an experiment file and report every problem with file:line:column')
    .argument('<experiment>', 'experiment file (YAML)')
    .action((file: string) => {
      process.exitCode = validateCommand(file);
    });

  program
    .command('schema')
    .description('print the JSON Schema of experiment files (for editor completion)')
    .action(() => {
      process.exitCode = schemaCommand();
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
