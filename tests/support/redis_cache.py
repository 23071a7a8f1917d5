"""A Redis cache for test runs that share one Redis server: `clear()` removes only this
run's keys (its KEY_PREFIX), where Django's would flush the whole database."""

from django.core.cache.backends.redis import RedisCache


class IsolatedRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
