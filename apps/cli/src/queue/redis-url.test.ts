import { describe, expect, it } from 'vitest';
import { maskRedisUrl, parseRedisUrl, scrubSecrets } from './redis-url';

describe('parseRedisUrl', () => {
  it('reads host, port, database and credentials, and shows the URL with the password masked', () => {
    const target = parseRedisUrl('redis://:s3cret@10.0.0.5:6380/2');
    expect(target).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, password: 's3cret', tls: false });
    expect(target.display).toBe('redis://:***@10.0.0.5:6380/2');
    expect(parseRedisUrl('redis://localhost')).toMatchObject({ host: 'localhost', port: 6379, db: 0 });
    expect(parseRedisUrl('rediss://bench:p%40ss@[::1]:7000/1')).toMatchObject({
      host: '::1',
      username: 'bench',
      password: 'p@ss',
      tls: true,
      display: 'rediss://bench:***@[::1]:7000/1',
    });
  });

  it('masks a user-info given without a password (redis://SECRET@host), in the display and in messages', () => {
    const target = parseRedisUrl('redis://SECRET@10.0.0.5:6379/0');
    expect(target.display).toBe('redis://***@10.0.0.5:6379/0');
    expect(scrubSecrets('connect ECONNREFUSED (auth SECRET failed)', target)).toBe(
      'connect ECONNREFUSED (auth *** failed)',
    );
    expect(maskRedisUrl('redis://SECRET@host:1/0')).toBe('redis://***@host:1/0');
  });

  it('refuses malformed URLs with one line that never shows the password', () => {
    for (const text of [
      'localhost:6379',
      'http://:pw@host',
      'redis://:pw@host:99999',
      'redis://:pw@host/x',
      'redis://:pw@host/1?a=b',
    ]) {
      let message = '';
      try {
        parseRedisUrl(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^--queue: expected /);
      expect(message).not.toContain('pw@');
      expect(message).not.toContain('\n');
    }
  });
});

describe('maskRedisUrl and scrubSecrets', () => {
  it('mask the password, also in malformed URLs and inside other messages', () => {
    expect(maskRedisUrl('redis://user:pa@ss/word@host:1/0')).toBe('redis://user:***@host:1/0');
    expect(maskRedisUrl('redis://token@host')).toBe('redis://***@host');
    expect(maskRedisUrl('redis://host:6379')).toBe('redis://host:6379');
    const target = parseRedisUrl('redis://:a%20b@host');
    expect(scrubSecrets('failed with a b and a%20b', target)).toBe('failed with *** and ***');
  });
});
