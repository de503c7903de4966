/** Central logging: what leaves the nodes. Only a live cluster shows it (its nodes, DaemonSets and API server). */
import type { Control } from '../../engine/types.js';
import * as auditOffNode from './audit-off-node.js';
import * as nodeShipper from './node-shipper.js';

export const LOGGING_CONTROLS: readonly Control[] = [nodeShipper.control, auditOffNode.control];
