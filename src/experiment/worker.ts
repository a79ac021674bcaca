import { parentPort } from 'node:worker_threads';
import { loadExperiment, type Experiment } from './load.js';
import { fingerprint, type FromWorker, type ToWorker } from './parallel.js';
import { runReplication } from './run.js';

/**
 * Worker thread entry (built to dist/experiment/worker.js): loads the experiment once, then runs
 * the replications it is handed and posts each result back. See parallel.ts.
 */
const port = parentPort;
if (!port) throw new Error('worker.js runs inside a worker thread');

let job: { exp: Experiment; seed: number | string; trace: boolean } | undefined;
const post = (msg: FromWorker) => port.postMessage(msg);

port.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'init') {
      const loaded = loadExperiment(msg.source.file) as Experiment & { points?: readonly { experiment: Experiment }[] };
      const exp = msg.source.point === undefined ? loaded : loaded.points?.[msg.source.point]?.experiment;
      if (!exp || fingerprint(exp) !== msg.fingerprint) {
        throw new Error(`worker: ${msg.source.file} no longer describes the experiment being run (changed on disk or in memory); run with --workers 1`);
      }
      job = { exp, seed: msg.seed, trace: msg.trace };
      return;
    }
    if (!job) throw new Error('worker: run before init');
    for (const run of msg.runs) post({ type: 'result', result: runReplication(job.exp, job.seed, run, { trace: job.trace }) });
    post({ type: 'idle' });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
  }
});
