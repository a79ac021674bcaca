export * from './types.js';
export { parseCidr, subnet, overlaps, type CidrRange } from './cidr.js';
export { TopologyIndex, remoteNamespace } from './index-of.js';
export { checkDesign, DEFAULT_NODE_LIMIT, type DesignProblem, type CheckOptions } from './checks.js';
export * from './generators.js';
