import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FinalInfo, RunInfo } from '../ui/layout.js';
import type { LiveUi } from '../ui/live.js';

/** How `gridtwin run` presents itself: the live screen, plain lines, or JSON only. */
export interface PresentationOptions {
  json?: boolean;
  ui?: boolean;
}

type Presentation = 'json' | 'live' | 'plain';

/** The live screen only on a real, capable terminal; pipes, CI logs and `--no-ui` get plain lines. */
export function presentation(opts: PresentationOptions, env: NodeJS.ProcessEnv, isTTY: boolean): Presentation {
  if (opts.json) return 'json';
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return isTTY && opts.ui !== false && !ci && env.TERM !== 'dumb' ? 'live' : 'plain';
}

/** NO_COLOR (https://no-color.org): present and not empty disables colour. */
export const colorAllowed = (env: NodeJS.ProcessEnv): boolean => !env.NO_COLOR && env.TERM !== 'dumb';

/** What the results directory holds and what to run next, for the final screen. */
export function outputs(out: string, files: readonly string[]): Pick<FinalInfo, 'written' | 'next'> {
  const plots = join(out, 'plots');
  const hasPlots = statSync(plots, { throwIfNoEntry: false })?.isDirectory() === true; // a failed plot step may leave none
  // Plot files are many: one entry for the folder instead.
  const written = files.map((f) => relative(out, f)).filter((f) => !(hasPlots && f.startsWith('plots')));
  if (hasPlots) written.push(`plots/ (${readdirSync(plots).length} files)`);
  const report = join(out, 'report.html');
  if (existsSync(report) && !written.includes('report.html')) written.push('report.html');
  const next = [`gridtwin compare ${out} <measured.yaml|csv|log>`];
  if (existsSync(report)) next.push(`xdg-open ${report}`);
  return { written, next };
}

/** The header's wall clock in ms: for the screen only, never read inside a run. */
export const wallMs = () => Number(process.hrtime.bigint()) / 1e6;

/** The live screen on this process's terminal. */
export async function startLiveUi(info: RunInfo): Promise<LiveUi> {
  // ink and React load only for the live screen: piped runs and CI do not pay for them.
  const [{ render }, { LiveUi }] = await Promise.all([import('ink'), import('../ui/live.js')]);
  return new LiveUi(info, {
    // Ctrl-C stays a signal (the command handles it); console output (a plot warning) prints above the screen.
    mount: (node) => render(node, { exitOnCtrlC: false, patchConsole: true }),
    clock: wallMs,
    size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
    color: colorAllowed(process.env),
  });
}

