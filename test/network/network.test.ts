import { describe, expect, it } from 'vitest';
import { Bus, RandomStreams } from '../../src/engine/index.js';
import { Network, NETWORK_CHANGED } from '../../src/network/index.js';

const make = () => {
  const bus = new Bus();
  const changes: string[] = [];
  bus.on<{ reason: string }>(NETWORK_CHANGED, (c) => changes.push(c.reason));
  const net = new Network(bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  return { net, changes };
};

describe('Network', () => {
  it('an isolated site reaches only itself, and again after restore', () => {
    const { net, changes } = make();
    net.isolate('leaf-1');
    expect(net.reachable('leaf-1', 'root')).toBe(false);
    expect(net.reachable('root', 'leaf-1')).toBe(false);
    expect(net.reachable('leaf-1', 'leaf-1')).toBe(true);
    expect(net.reachable('root', 'leaf-2')).toBe(true);
    net.restore('leaf-1');
    expect(net.reachable('leaf-1', 'root')).toBe(true);
    expect(changes).toEqual(['isolate leaf-1', 'restore leaf-1']);
  });

  it('a partition separates groups; unlisted sites form their own group', () => {
    const { net } = make();
    net.partition([['a', 'b'], ['c']]);
    expect(net.reachable('a', 'b')).toBe(true);
    expect(net.reachable('a', 'c')).toBe(false);
    expect(net.reachable('d', 'e')).toBe(true);
    expect(net.reachable('d', 'a')).toBe(false);
    net.healPartition();
    expect(net.reachable('a', 'c')).toBe(true);
  });

  it('a dropped link blocks both ways; delay is undefined when unreachable', () => {
    const { net } = make();
    const rng = new RandomStreams('n').stream('x');
    net.dropLink('a', 'b');
    expect(net.delay('b', 'a', rng)).toBeUndefined();
    expect(net.delay('a', 'c', rng)).toBe(300);
  });
});
