"""Django's database cache with an atomic `incr`, so that the limits count every request.

Django's `DatabaseCache.incr` reads then writes: 8 concurrent clients were counted 126 times for
800 requests. Here the read and the write share one transaction that holds the row (PostgreSQL:
SELECT … FOR UPDATE) or the database's write lock (SQLite: this project's transactions are
IMMEDIATE), so concurrent increments queue instead of overwriting each other.
"""
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                                   [self.make_and_validate_key(key, version=version)])
            return super().incr(key, delta, version)
