import { CliError } from '../cli-error';

/** Where the job queue lives: a parsed `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  /** Never printed: every message goes through {@link scrubSecrets} and the URL through {@link maskRedisUrl}. */
  readonly password?: string;
  readonly tls: boolean;
  /** The URL as it may be shown: the password replaced by `***`. */
  readonly display: string;
}

const FORM = 'redis://[[user]:password@]host[:port][/db]';

/**
 * The URL with its password (or a user-info without a colon, which some clients take as the password) replaced by
 * `***`; works on malformed URLs too (everything up to the last `@` counts as user-info, so a password with a raw
 * `@` or `/` is masked whole), so an error message can quote what the user typed.
 */
export function maskRedisUrl(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)@/, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/**
 * Parses the `--queue` URL. Throws a one-line CliError (exit code 2) naming the expected form; the message never
 * contains the password.
 *
 * @example parseRedisUrl('redis://:s3cret@10.0.0.5:6379/2') // → { host: '10.0.0.5', port: 6379, db: 2, password: 's3cret', … }
 */
export function parseRedisUrl(text: string, component = '--queue'): RedisTarget {
  const shown = JSON.stringify(maskRedisUrl(text));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(component, 'INVALID_ARGUMENT', `expected a URL of the form ${FORM}, got ${shown}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new CliError(component, 'INVALID_ARGUMENT', `expected a redis:// or rediss:// URL (${FORM}), got ${shown}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new CliError(component, 'INVALID_ARGUMENT', `expected a host in ${FORM}, got ${shown}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new CliError(component, 'INVALID_ARGUMENT', `expected a port in [1, 65535], got ${shown}`);
  }
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  const db = path === '' ? 0 : Number(path);
  if (!/^\d*$/.test(path) || !Number.isInteger(db) || db > 1_000) {
    throw new CliError(component, 'INVALID_ARGUMENT', `expected a database number after the last /, got ${shown}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new CliError(component, 'INVALID_ARGUMENT', `expected no ?query or #fragment (${FORM}), got ${shown}`);
  }
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  // A user-info without a password (`redis://SECRET@host`) is masked whole: some clients send it as the password.
  const auth = password !== undefined ? `${username ?? ''}:***@` : username !== undefined ? '***@' : '';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    db,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    tls: url.protocol === 'rediss:',
    display: `${url.protocol}//${auth}${hostPart}:${port}/${db}`,
  };
}

/** `text` with the target's password (raw and URL-encoded) replaced by `***`: for every message that reaches a log. */
export function scrubSecrets(text: string, target: RedisTarget | undefined): string {
  // A user name given alone (`redis://SECRET@host`) may be the password, as maskRedisUrl assumes too.
  const secret = target?.password ?? target?.username;
  if (!secret) return text;
  let out = text;
  for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  return out;
}

/** ioredis connection options for a target (TLS for `rediss://`). */
export function redisOptions(target: RedisTarget): {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
} {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}
