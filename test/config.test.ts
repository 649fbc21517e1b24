import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config.js';

describe('configuration for check-ins', () => {
  it('uses a private Redis unless REDIS_URL is set, with the default key prefix', () => {
    expect(loadConfig({}, false)).toMatchObject({ redisUrl: undefined, redisPrefix: 'setia' });
    expect(loadConfig({ REDIS_URL: 'redis://:s3cret@10.0.0.5:6380/2', REDIS_PREFIX: 'toko-sari' }, false)).toMatchObject({ redisUrl: 'redis://:s3cret@10.0.0.5:6380/2', redisPrefix: 'toko-sari' });
  });

  it('names a bad REDIS_URL in one line without repeating it, since it may hold a password', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379 password=s3cret' }, false)).toThrow(
      /^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ address such as redis:\/\/127\.0\.0\.1:6379\/0$/,
    );
    expect(() => loadConfig({ REDIS_PREFIX: 'a:b' }, false)).toThrow(/^REDIS_PREFIX: expected letters, digits, _ or -, at most 40 \(got "a:b"\)$/);
  });
});

describe('configuration for the staff inbox', () => {
  it('listens on 127.0.0.1:3000 by default and links to it', () => {
    expect(loadConfig({}, false)).toMatchObject({ webPort: 3000, webHost: '127.0.0.1', webBaseUrl: 'http://localhost:3000' });
    expect(loadConfig({ WEB_PORT: '8080', WEB_HOST: '0.0.0.0', WEB_BASE_URL: 'https://inbox.tokosari.id/' }, false)).toMatchObject({
      webPort: 8080,
      webHost: '0.0.0.0',
      webBaseUrl: 'https://inbox.tokosari.id',
    });
  });

  it('names a bad WEB_PORT or WEB_BASE_URL in one line', () => {
    expect(() => loadConfig({ WEB_PORT: '70000' }, false)).toThrow(/^WEB_PORT: expected a port number from 0 to 65535 \(got "70000"\)$/);
    expect(() => loadConfig({ WEB_BASE_URL: 'inbox.tokosari.id' }, false)).toThrow(/^WEB_BASE_URL: expected an http:\/\/ or https:\/\/ address/);
  });
});
