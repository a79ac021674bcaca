// Importing a scenario module registers it.
import './pod-restart.js';

export { findScenario, scenarioKinds, type ScenarioDef } from './registry.js';
