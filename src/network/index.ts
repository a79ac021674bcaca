export { Network, NETWORK_CHANGED, type NetworkChanged, type LinkProfile, type SiteId } from './network.js';
