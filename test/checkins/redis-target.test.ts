import { expect, it } from '@jest/globals';
import { describeRedis, redisOptions } from '../../src/checkins/redis-target.js';

it('reads REDIS_URL into connection options, and describes it in logs without the password', () => {
  const options = redisOptions({ url: 'rediss://shop:p%40ss@redis.example:6380/3' });
  expect(options).toMatchObject({ host: 'redis.example', port: 6380, username: 'shop', password: 'p@ss', db: 3, tls: {} });
  expect(describeRedis(options)).toBe('redis.example:6380');
  expect(redisOptions({ url: 'redis://127.0.0.1' })).toMatchObject({ host: '127.0.0.1', port: 6379, db: undefined, tls: undefined });
  expect(describeRedis(redisOptions({ socket: '/srv/setia/data/redis.sock' }))).toBe('unix:/srv/setia/data/redis.sock');
});
