"""A component reused from the applicant's document store records the stored file's real size."""
import pytest
from django.core.files.storage import default_storage

from motcua.dossiers.files import store_bytes
from motcua.catalogue.models import Component
from motcua.dossiers.models import ApplicantKind, Channel, ComponentFile, PersonalDocument, ReuseConsent
from motcua.dossiers.services import Applicant, ComponentInput, open_dossier
from motcua.dossiers.transitions import Action
from tests import factories as f

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4 ban sao CCCD " + b"x" * 1234


def test_a_reused_component_has_the_size_of_the_stored_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    desk = f.desk()
    stored = store_bytes(SCAN, "application/pdf")
    card = Component.objects.create(procedure=desk["procedure"], name="Bản sao CCCD", document_type=f.document_type())
    PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Bản sao CCCD", path=stored.path, sha256=stored.sha256,
                                    document_type=f.document_type())
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT, action=Action.RECEIVE,
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID),
                     actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0),
                     components=[ComponentInput("Bản sao CCCD", card.pk, reused=True, from_personal_store=True)],
                     reuse_consent=ReuseConsent.PRESENT)
    reused = ComponentFile.objects.get(component__dossier=d)
    assert reused.path == stored.path and default_storage.size(reused.path) == len(SCAN)
    assert reused.size == len(SCAN)
