/**
 * IEEE C37.118.2 data frame size (MODEL.md §5): a 16-byte common part (SYNC, FRAMESIZE, IDCODE,
 * SOC, FRACSEC, CHK) and per PMU: STAT (2) + phasors × (4 as 16-bit integers | 8 as floats)
 * + FREQ/DFREQ (4 | 8) + analogs × (2 | 4) + digital status words × 2.
 */
export interface PmuFormat {
  readonly phasors: number;
  readonly analogs: number;
  readonly digitals: number;
  /** Numeric format of phasors, frequency and analogs: 16-bit integers or 32-bit floats. */
  readonly numbers: 'int16' | 'float32';
}

export function dataFrameBytes(pmus: readonly PmuFormat[]): number {
  return 16 + pmus.reduce((s, p) => {
    const f = p.numbers === 'float32';
    return s + 2 + p.phasors * (f ? 8 : 4) + (f ? 8 : 4) + p.analogs * (f ? 4 : 2) + p.digitals * 2;
  }, 0);
}
