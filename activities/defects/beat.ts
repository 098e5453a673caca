// Heartbeat helpers of the defect scans: the shared ones, under the names this folder uses.
export { heartbeat as beat, heartbeating as beating } from '../heartbeat';
