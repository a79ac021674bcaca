// Importing a scenario module registers it.
import './pod-restart.js';
import './thesis-virtual-node-reaction.js';
import './percona-split.js';
import './world/index.js';

export { findScenario, scenarioKinds, type ResolveContext, type ScenarioDef } from './registry.js';
