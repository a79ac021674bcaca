// Importing a scenario module registers it.
import './thesis-pod-failure.js';
import './thesis-virtual-node-reaction.js';
import './percona-split.js';
import './thesis-cluster-failure.js';
import './thesis-latency.js';
import './world/index.js';

export { findScenario, scenarioKinds, type ResolveContext, type ScenarioDef } from './registry.js';
