import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import { loadK3s, loadLiqo } from '../../src/scenarios/profiles/k8s.js';

describe('k3s and liqo profiles', () => {
  it('load, and the thesis profile differs from the defaults exactly where Table 7.1 and the install script say', () => {
    const d = loadK3s({ name: 'k3s-1.24-defaults' });
    const t = loadK3s({ name: 'k3s-1.24-thesis' });
    expect(d.nodeLifecycle.gracePeriod).toBe(40 * SECOND);
    expect(t.nodeLifecycle.gracePeriod).toBe(20 * SECOND);
    expect(t.apiServer.defaultUnreachableToleration).toBe(20 * SECOND);
    expect(t.nodeLifecycle.podEvictionTimeout).toBe(5 * SECOND);
    expect(t.kubelet.statusUpdateInterval).toBe(5 * SECOND);
    expect({ ...t.kubelet, statusUpdateInterval: 0 }).toEqual({ ...d.kubelet, statusUpdateInterval: 0 });
    expect(loadLiqo({ name: 'liqo-0.10' }).virtualKubelet.tunnel.lossThreshold).toBe(5);
  });

  it('overrides apply and are validated', () => {
    expect(loadK3s({ name: 'k3s-1.24-thesis', overrides: { nodeLifecycle: { taintManager: false } } }).nodeLifecycle.taintManager).toBe(false);
    expect(() => loadK3s({ name: 'k3s-1.24-thesis', overrides: { nodeLifecycle: { gracePeriod: 'soon' } } })).toThrow(/gracePeriod/);
  });
});
