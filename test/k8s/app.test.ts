import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.js';
import { defaultProbe, GenericApp, type App, type ContainerRef } from '../../src/k8s/index.js';

const where: ContainerRef = { namespace: 'ns', pod: 'pdc-0', cluster: 'leaf-1', node: 'leaf-1-n0', restarts: 0 };

describe('GenericApp', () => {
  it('passes probes once serving, fails them while broken, and heals on restart', () => {
    const app = new GenericApp({ startLatency: { kind: 'constant', value: 2_000_000 } });
    expect(app.startLatency(where, new RandomStreams('s').stream('x'))).toBe(2_000_000);
    app.started(where, 0);
    expect(app.probe('liveness', where, 0, false)).toBe(false);
    expect(app.probe('liveness', where, 1, true)).toBe(true);
    app.breakLiveness('pdc-0');
    expect(app.probe('liveness', where, 2, true)).toBe(false);
    app.started({ ...where, restarts: 1 }, 3);
    expect(app.probe('liveness', where, 4, true)).toBe(true);
    expect(app.events.map((e) => e.what)).toEqual(['started', 'started']);
  });

  it('an app without a probe answers "serving"', () => {
    const bare: App = { startLatency: () => 0 };
    expect(defaultProbe(bare, 'readiness', where, 0, true)).toBe(true);
    expect(defaultProbe(bare, 'readiness', where, 0, false)).toBe(false);
  });
});
