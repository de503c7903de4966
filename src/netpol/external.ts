/**
 * Named places outside the cluster that reports and controls ask about. Connections "to" one of them are those
 * allowed to every address it contains.
 */
import { IpSet } from './ip.js';

export interface ExternalEndpoint {
  readonly id: 'outside' | 'internet' | 'metadata';
  readonly name: string;
  readonly ips: IpSet;
}

function set(...cidrs: string[]): IpSet {
  return cidrs.reduce((all, cidr) => all.union(IpSet.parse(cidr) ?? IpSet.empty), IpSet.empty);
}

/** Addresses that are not on the public internet: private, shared, loopback, link-local, multicast, reserved. */
const NOT_PUBLIC = set(
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4',
  '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8',
);

/** The link-local address where AWS, GCP, Azure and others serve instance metadata and credentials. */
export const METADATA_ADDRESS = '169.254.169.254';

export const OUTSIDE: ExternalEndpoint = { id: 'outside', name: 'outside the cluster (0.0.0.0/0, ::/0)', ips: IpSet.everything };
export const INTERNET: ExternalEndpoint = { id: 'internet', name: 'the internet (public addresses)', ips: IpSet.everything.subtract(NOT_PUBLIC) };
export const METADATA: ExternalEndpoint = { id: 'metadata', name: `the cloud metadata service (${METADATA_ADDRESS})`, ips: set(`${METADATA_ADDRESS}/32`) };

export const EXTERNAL_ENDPOINTS: readonly ExternalEndpoint[] = [OUTSIDE, INTERNET, METADATA];
