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
