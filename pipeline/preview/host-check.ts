/**
 * DNS rebinding defence for the preview. A page on any web site can make the reviewer's browser send
 * requests to 127.0.0.1:4400 by pointing its own name at that address; the browser then sends that name
 * in `Host` (and, for the event stream or a fetch, its own `Origin`). The preview answers only requests
 * whose `Host` is a loopback name or address, or the address given with `--host`; on a wildcard address
 * (`--host` alone: 0.0.0.0 or ::) any IP literal is accepted too, since a rebinding attack needs a host
 * name. Requests that carry an `Origin` must come from such a host as well.
 */
import { isIP } from 'node:net';

export interface HostCheck {
  /** True when a request with this `Host` header may be answered. */
  host(header: string | undefined): boolean;
  /** True when a request with this `Origin` header (absent: same-origin or not a browser) may be answered. */
  origin(header: string | undefined): boolean;
}

/** The host part of a `Host` header or URL authority, lower-case, without port and brackets. */
export function hostName(authority: string): string | undefined {
  const value = authority.trim().toLowerCase();
  if (value === '') return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(1, end);
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  return match ? match[1]!.replace(/\.$/, '') : undefined;
}

const isLoopback = (name: string) =>
  name === 'localhost' || name.endsWith('.localhost') || name === '::1' || (isIP(name) === 4 && name.startsWith('127.')) || name === '0:0:0:0:0:0:0:1';

export function createHostCheck(listenHost: string): HostCheck {
  const given = hostName(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost);
  const wildcard = given === '0.0.0.0' || given === '::';
  const allowed = (name: string | undefined) => name !== undefined && (isLoopback(name) || name === given || (wildcard && isIP(name) !== 0));
  return {
    host: (header) => header !== undefined && allowed(hostName(header)),
    origin(header) {
      if (header === undefined) return true;
      let url: URL;
      try {
        url = new URL(header);
      } catch {
        return false; // `null` (a sandboxed frame, a file:// page) and anything malformed
      }
      return (url.protocol === 'http:' || url.protocol === 'https:') && allowed(hostName(url.host));
    },
  };
}
