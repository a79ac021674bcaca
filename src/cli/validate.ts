import { loadExperiment } from '../experiment/load.js';

export function validateCommand(file: string): number {
  const exp = loadExperiment(file); // throws InputError → exit 2
  for (const w of exp.warnings) process.stdout.write(`warning: ${w}\n`);
  const sweep = exp.points ? `, sweep of ${exp.points.length} points` : '';
  process.stdout.write(`${file}: ok (experiment ${exp.name}, scenario ${exp.scenario.kind}, ${exp.runs} runs${sweep})\n`);
  return 0;
}
