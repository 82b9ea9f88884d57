/** Where Temporal Web shows this configuration's plans, so the links the CLI prints open the right page. */
import type { Config } from './environment';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const CLOUD_HOST = /\.(tmprl\.cloud|api\.temporal\.io)$/;

/**
 * TEMPORAL_UI_URL; else what the frontend's address implies — Temporal Cloud's web app for a Cloud endpoint, the
 * dev server's UI (frontend port + 1000, as `temporal server start-dev` does) for a local one; else null: a
 * self-hosted cluster's UI can be anywhere, and a guessed link would be a wrong one.
 */
export function webUiBase(config: Config): string | null {
  if (config.webUiUrl !== null) return config.webUiUrl.replace(/\/+$/, '');
  if (config.temporalAddress === null) return `http://localhost:${config.devUiPort}`;
  const at = config.temporalAddress.lastIndexOf(':');
  const host = (at > 0 ? config.temporalAddress.slice(0, at) : config.temporalAddress).toLowerCase();
  const port = at > 0 ? Number(config.temporalAddress.slice(at + 1)) : NaN;
  if (CLOUD_HOST.test(host)) return 'https://cloud.temporal.io';
  if (LOOPBACK.has(host) && Number.isInteger(port) && port + 1000 <= 65535) return `http://localhost:${port + 1000}`;
  return null;
}
