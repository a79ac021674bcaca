import { Box, Static, Text } from 'ink';
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
  const text = (l: Line, key: number) => (
    <Text key={key} wrap="truncate-end" {...style(l.tone, state.color)}>
      {l.text || ' '}
    </Text>
  );
  if (state.final) {
    // Written once above the (now empty) live area, so a summary taller than the terminal
    // scrolls like ordinary output instead of being redrawn as a full screen.
    const lines = finalLines(state.info, state.progress, state.final, columns);
    return <Static items={lines}>{(l, i) => <Box key={i} width={columns}>{text(l, i)}</Box>}</Static>;
  }
  const header = headerLines(state.info, state.progress, columns);
  // One row short of the terminal: a frame as tall as the screen makes ink redraw it all.
  const lines = [...header, ...liveLines(state.view, state.info, Math.max(2, state.rows - header.length - 1))];
  return (
    <Box flexDirection="column" width={columns}>
      {lines.map(text)}
    </Box>
  );
}
