"""Two certifications in one commune at the same moment get consecutive register numbers."""
import threading

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.results import identities, services
from motcua.results.models import CertifiedCopy
from tests import factories as f
from tests.results.test_services import in_process


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_certifications_are_numbered_one_after_the_other(commune, scan_pdf):
    identities.issue_test_identity(commune["unit"])
    dossiers = [in_process(commune, commune["procedure"]) for _ in range(2)]
    barrier, errors = threading.Barrier(2), []

    def certify(pk, name):
        try:
            seen = Dossier.objects.get(pk=pk)  # each thread has its own connection
            barrier.wait()
            services.certify_copy(seen, actor=commune["head"], scan=scan_pdf, original_name=name, paper_copies=1,
                                  at=f.at(2026, 3, 2, 14, 0))
        except Exception as exc:  # reported below with the numbers
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=certify, args=(d.pk, f"Giấy tờ {i}")) for i, d in enumerate(dossiers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(CertifiedCopy.objects.values_list("number", flat=True)) == [1, 2]
