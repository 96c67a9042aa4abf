"""Two pushers at once on PostgreSQL: nothing is sent twice and each dossier's changes keep their order."""
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier, OutboxMessage
from motcua.integrations.models import ReceivedStatusChange
from motcua.integrations.outbox import push_pending
from motcua.integrations.transports import InProcessTransport


class Slow(InProcessTransport):
    def __init__(self, sent, guard):
        super().__init__()
        self.sent, self.guard = sent, guard

    def send(self, payload):
        with self.guard:
            self.sent[payload["MaSuKien"]] += 1
        time.sleep(0.01)  # long enough for the two pushers to meet on the same rows
        return super().send(payload)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_pushers_never_send_a_change_twice(make_dossier):
    dossiers = [make_dossier(steps=n % 4) for n in range(12)]
    total = OutboxMessage.objects.count()
    sent, guard = Counter(), threading.Lock()
    barrier, results = threading.Barrier(2), []

    def push():
        try:
            barrier.wait()
            results.append(push_pending(Slow(sent, guard)))
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and all(r.failed == 0 for r in results)
    push_pending(Slow(sent, guard))  # whatever one pusher held back while the other had it locked

    assert len(sent) == total and set(sent.values()) == {1}
    assert OutboxMessage.objects.filter(acknowledged_at__isnull=True).count() == 0
    assert set(ReceivedStatusChange.objects.values_list("deliveries", flat=True)) == {1}
    for d in dossiers:
        keys = list(OutboxMessage.objects.filter(dossier=d).order_by("event__seq")
                    .values_list("payload__MaSuKien", flat=True))
        arrived = list(ReceivedStatusChange.objects.filter(dossier_code=d.code).order_by("id")
                       .values_list("event_key", flat=True))
        assert arrived == keys
    assert Dossier.objects.filter(synced_national=True).count() == len(dossiers)
