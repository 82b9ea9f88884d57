import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Address ranges an outbound request may not reach unless the operator allows the host: the worker's own machine,
 * its cloud's metadata service and the private networks behind it. A plan (often written by a model) must not be
 * able to use the worker as a way in.
 */
const RANGES: [name: string, family: 'ipv4' | 'ipv6', prefix: string, bits: number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local machine on Linux
  ['private', 'ipv4', '10.0.0.0', 8],
  ['shared (CGNAT)', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local (cloud metadata)', 'ipv4', '169.254.0.0', 16],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['reserved', 'ipv4', '192.0.0.0', 24],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4], // includes the broadcast address
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['IPv4-compatible', 'ipv6', '::', 96],
  ['unique-local', 'ipv6', 'fc00::', 7], // includes AWS's IPv6 metadata address fd00:ec2::254
  ['link-local', 'ipv6', 'fe80::', 10],
  ['site-local', 'ipv6', 'fec0::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
];

const lists = RANGES.map(([name, family, prefix, bits]) => {
  const list = new BlockList();
  list.addSubnet(prefix, bits, family);
  return { name, family, list };
});

/** The name of the denied range `address` (an IP literal) falls in, or null when it is an ordinary public address. */
export function deniedRange(address: string): string | null {
  const ip = embeddedIPv4(address) ?? address;
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : null;
  // Not an IP at all: nothing to connect to, so refuse rather than guess.
  if (family === null) return 'invalid';
  return lists.find((range) => range.family === family && range.list.check(ip, family))?.name ?? null;
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`, or `::ffff:7f00:1` as the URL parser
 * writes it): a socket connects to the IPv4 address, so it is what must be judged.
 */
function embeddedIPv4(address: string): string | null {
  const match = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!match) return null;
  const tail = match[1]!;
  if (isIPv4(tail)) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
