/**
 * The web surface's settings: VIGIE_HTTP_PORT (default 8080; "off" or "0" turns the web off)
 * and VIGIE_HTTP_HOST (default 127.0.0.1: only this machine; "0.0.0.0" or "::" to serve
 * others, behind a reverse proxy that terminates TLS); VIGIE_PUBLIC_URL (the address people
 * reach it at, for absolute links in the API and feeds).
 */
import { ConfigError } from '../base/errors.js';

/** Where the status page listens. */
export interface WebConfig {
  port: number;
  host: string;
  /** VIGIE_PUBLIC_URL: the address people reach the page at, for absolute links (API, feeds); "" when unset. */
  publicUrl: string;
}

export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_HTTP_HOST = '127.0.0.1';
const OFF = new Set(['off', '0', 'no', 'false', 'none', 'disabled']);

/** The settings from the environment, or null when the web is turned off. Throws ConfigError for a bad value. */
export function parseWebConfig(env: NodeJS.ProcessEnv): WebConfig | null {
  const rawPort = env.VIGIE_HTTP_PORT?.trim() ?? '';
  if (OFF.has(rawPort.toLowerCase())) return null;
  let port = DEFAULT_HTTP_PORT;
  if (rawPort !== '') {
    if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65_535) throw new ConfigError('VIGIE_HTTP_PORT', `expected a port from 1 to 65535, or "off" (got "${rawPort.slice(0, 20)}")`);
    port = Number(rawPort);
  }
  const host = env.VIGIE_HTTP_HOST?.trim() || DEFAULT_HTTP_HOST;
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(host)) throw new ConfigError('VIGIE_HTTP_HOST', 'expected a host name or an IP address');
  const publicUrl = env.VIGIE_PUBLIC_URL?.trim() ?? '';
  if (publicUrl !== '' && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl)) throw new ConfigError('VIGIE_PUBLIC_URL', 'expected an http(s) address such as https://statut.example.fr');
  return { port, host, publicUrl: publicUrl.replace(/\/+$/, '') };
}
