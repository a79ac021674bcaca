import { loadExperiment } from '../experiment/load.js';

export function validateCommand(file: string): number {
  const exp = loadExperiment(file); // throws InputError → exit 2
  process.stdout.write(`${file}: ok (experiment ${exp.name}, scenario ${exp.scenario.kind}, ${exp.runs} runs)\n`);
  return 0;
}
