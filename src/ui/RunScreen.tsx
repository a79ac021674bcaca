import { Box, Text } from 'ink';
import { finalLines, headerLines, liveLines, type FinalInfo, type Line, type RunInfo, type RunProgress } from './layout.js';
import type { LiveView } from './view-model.js';

export interface ScreenState {
  readonly info: RunInfo;
  readonly progress: RunProgress;
  readonly view: LiveView;
  /** Set when the run has ended: the screen turns into the summary. */
  readonly final?: FinalInfo;
  readonly columns: number;
  readonly rows: number;
  /** False under NO_COLOR (or a dumb terminal): plain text, no styles at all. */
  readonly color: boolean;
}

function style(tone: Line['tone'], color: boolean) {
  if (!color) return {};
  switch (tone) {
    case 'head':
      return { bold: true };
    case 'dim':
      return { dimColor: true };
    case 'bad':
      return { color: 'red' };
    case 'good':
      return { color: 'green' };
    default:
      return {};
  }
}

/** The whole screen of `gridtwin run` on a terminal: header and live view, then the final summary. */
export function RunScreen({ state }: { state: ScreenState }) {
  const columns = Math.max(20, state.columns);
  let lines: Line[];
  if (state.final) {
    lines = finalLines(state.info, state.progress, state.final, columns);
  } else {
    const header = headerLines(state.info, state.progress, columns);
    // One row short of the terminal: a frame as tall as the screen makes ink redraw it all.
    lines = [...header, ...liveLines(state.view, state.info.horizon, Math.max(2, state.rows - header.length - 1))];
  }
  return (
    <Box flexDirection="column" width={columns}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...style(l.tone, state.color)}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
