/**
 * print.html's Content-Security-Policy (docs/pdf.md, "No network"). Nothing may be fetched or connected
 * to; images, fonts and stylesheets come only from files (`file:`) and `data:` URLs; the only script that
 * may run is the index's page-range merge (index-ranges.ts), allowed by the hash of its exact text, so a
 * script that reached a chapter by any path does not run.
 */
import { createHash } from 'node:crypto';
import { INDEX_RANGES_SCRIPT } from './index-ranges.ts';

/** The scripts print.html itself carries, as their exact text between `<script>` and `</script>`. */
const OWN_SCRIPTS = [INDEX_RANGES_SCRIPT];

export function printContentSecurityPolicy(): string {
  const hashes = OWN_SCRIPTS.map((script) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "connect-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    'img-src file: data: blob:',
    'media-src file: data:',
    'font-src file: data:',
    "style-src file: 'unsafe-inline'",
  ].join('; ');
}
