"""Documents of the applicant's store (issued by any unit) are reused only with the applicant
present at the desk or consenting online, only for a component of their own type, and every use
is logged and shown to the applicant on the tracking page."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Component
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    AppendOnlyError, ApplicantKind, Channel, ComponentFile, DocumentAccess, Dossier, DossierCodeCounter, DossierEvent,
    PersonalDocument, ReuseConsent,
)
from motcua.dossiers.services import Applicant, ComponentInput, open_dossier, receive_supplement, transition
from motcua.dossiers.transitions import Action, Actor
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 to khai"
CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Ngô Thị G", f.VALID_PID)


@pytest.fixture
def store(client):
    """A department whose procedure asks for an identity card (typed) and a form (untyped); the
    citizen's store holds an identity card issued by another unit and, newer, a birth certificate."""
    dept = f.unit()
    issuer = f.unit("SXD", "Sở Xây dựng")
    card_type, birth_type = f.document_type(), f.document_type("khai-sinh", "Giấy khai sinh")
    procedure = f.procedure(agency=dept, time_limit="3")
    form = Component.objects.create(procedure=procedure, order=1, name="Tờ khai", original_count=1)
    card = Component.objects.create(procedure=procedure, order=2, name="Bản sao CCCD", copy_count=1,
                                    document_type=card_type)
    old = PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Căn cước (bản điện tử)", path="store/cccd.pdf",
                                          sha256="c" * 64, document_type=card_type)
    PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Giấy khai sinh", path="store/ks.pdf", sha256="b" * 64,
                                    document_type=birth_type)
    reception = f.officer(dept, Role.RECEPTION)
    reception.first_name, reception.last_name = "Lê Văn", "Đức"
    reception.save()
    return {"unit": dept, "issuer": issuer, "procedure": procedure, "form": form, "card": card, "card_doc": old,
            "reception": reception, "client": client}


def inputs(store, reuse=("card",)):
    return [ComponentInput(store["form"].name, store["form"].pk, content=PDF, original_name="to-khai.pdf"),
            *[ComponentInput(store[c].name, store[c].pk, reused=True, from_personal_store=True) for c in reuse]]


def receive(store, **kw):
    return open_dossier(procedure=store["procedure"], unit=store["unit"], applicant=kw.pop("applicant", CITIZEN),
                        channel=kw.pop("channel", Channel.DIRECT), action=Action.RECEIVE,
                        actor=store["reception"], at=f.at(2026, 3, 2, 9, 0), **kw)


def nothing_written():
    return (Dossier.objects.count() == DossierEvent.objects.count() == ComponentFile.objects.count()
            == DocumentAccess.objects.count() == 0 and not DossierCodeCounter.objects.filter(last__gt=0).exists())


def test_reuse_without_the_applicant_present_and_consenting_is_refused_and_changes_nothing(store):
    with pytest.raises(DossierError) as refused:
        receive(store, components=inputs(store))
    assert refused.value.code == "reuse_without_consent" and "có mặt tại quầy và đồng ý" in refused.value.message
    assert nothing_written()


@pytest.mark.parametrize("channel, consent", [
    (Channel.POSTAL, ReuseConsent.PRESENT),  # nobody is at the desk for a postal dossier
    (Channel.DIRECT, ReuseConsent.ONLINE),   # an officer cannot claim the applicant's online consent
])
def test_an_officer_reuses_only_with_the_applicant_at_the_desk(store, channel, consent):
    with pytest.raises(DossierError) as refused:
        receive(store, channel=channel, components=inputs(store), reuse_consent=consent)
    assert refused.value.code == "reuse_without_consent"
    assert nothing_written()


def test_online_the_applicant_consents_for_themselves_only(store):
    for consent in (None, ReuseConsent.PRESENT):
        with pytest.raises(DossierError) as refused:
            open_dossier(procedure=store["procedure"], unit=store["unit"], applicant=CITIZEN, channel=Channel.ONLINE,
                         action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, components=inputs(store),
                         reuse_consent=consent)
        assert refused.value.code == "reuse_without_consent"
    assert nothing_written()


def test_a_document_of_another_type_does_not_stand_in(store):
    """The store has a birth certificate (the newest document) but no identity card of this applicant's."""
    store["card_doc"].owner_id = "024090009999"
    store["card_doc"].save()
    with pytest.raises(DossierError) as refused:
        receive(store, components=inputs(store), reuse_consent=ReuseConsent.PRESENT)
    assert refused.value.code == "nothing_to_reuse" and "loại «Căn cước»" in refused.value.message
    assert nothing_written()


def test_a_component_without_a_document_type_takes_nothing_from_the_store(store):
    with pytest.raises(DossierError) as refused:
        receive(store, components=inputs(store, reuse=("form",)), reuse_consent=ReuseConsent.PRESENT)
    assert refused.value.code == "component_untyped" and "«Tờ khai» chưa được gắn loại giấy tờ" in refused.value.message
    assert nothing_written()


def test_the_document_of_the_components_type_is_reused_and_the_use_logged(store):
    d = receive(store, components=inputs(store), reuse_consent=ReuseConsent.PRESENT)
    card = d.components.get(name="Bản sao CCCD")
    assert card.reused and card.from_personal_store
    assert card.files.get().sha256 == "c" * 64  # the identity card, not the newer birth certificate
    access = DocumentAccess.objects.get()
    assert (access.document, access.dossier, access.component, access.officer, access.unit, access.consent) == (
        store["card_doc"], d, card, store["reception"], store["unit"], ReuseConsent.PRESENT)
    assert access.at == f.at(2026, 3, 2, 9, 0)
    assert access.purpose == (f"Hồ sơ {d.code} (thủ tục {d.procedure.code}): dùng «Căn cước (bản điện tử)» "
                              "cho thành phần «Bản sao CCCD»")


def test_the_access_log_is_append_only(store):
    receive(store, components=inputs(store), reuse_consent=ReuseConsent.PRESENT)
    access = DocumentAccess.objects.get()
    access.purpose = "khác"
    with pytest.raises(AppendOnlyError):
        access.save()
    with pytest.raises(AppendOnlyError):
        access.delete()
    assert DocumentAccess.objects.get().purpose.startswith("Hồ sơ ")


def test_a_supplement_takes_nothing_from_the_store(store):
    d = receive(store, components=inputs(store, reuse=()))
    d = transition(d, Action.REQUEST_SUPPLEMENT, actor=store["reception"], reason="Thiếu CCCD")
    with pytest.raises(DossierError) as refused:
        receive_supplement(d, role=Actor.APPLICANT, components=inputs(store)[1:])
    assert refused.value.code == "reuse_without_consent"
    assert DocumentAccess.objects.count() == 0 and d.components.count() == 1


# -- the desk page and the tracking page -----------------------------------------------------------


def post_reception(store, **extra):
    client = store["client"]
    client.force_login(store["reception"])
    data = {"procedure": store["procedure"].pk, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID,
            f"file_{store['form'].pk}": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
            f"reuse_{store['card'].pk}": "on", **extra}
    return client.post(reverse("dossiers:receive"), data)


def test_the_desk_page_asks_for_the_applicants_presence_and_consent(store):
    page = store["client"]
    page.force_login(store["reception"])
    form = page.get(reverse("dossiers:receive"), {"thu_tuc": store["procedure"].pk}).content.decode()
    assert 'name="reuse_consent"' in form and "Công dân có mặt tại quầy và đồng ý" in form
    assert f'name="reuse_{store["card"].pk}"' in form and f'name="reuse_{store["form"].pk}"' not in form
    refused = post_reception(store)
    assert refused.status_code == 200 and "có mặt tại quầy và đồng ý" in refused.content.decode()
    assert nothing_written()
    received = post_reception(store, reuse_consent="on")
    assert received.status_code == 302
    access = DocumentAccess.objects.get()
    assert (access.officer, access.consent, access.dossier) == (store["reception"], ReuseConsent.PRESENT,
                                                                Dossier.objects.get())


def test_the_applicant_sees_every_use_on_the_tracking_page(store, client):
    d = receive(store, components=inputs(store), reuse_consent=ReuseConsent.PRESENT)
    other = receive(store, applicant=Applicant(ApplicantKind.INDIVIDUAL, "Người khác", "024090009999"),
                    components=inputs(store, reuse=()))
    page = client.get(reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert 'id="document-accesses"' in page
    for shown in ("02/03/2026", "Căn cước (bản điện tử)", "Bản sao CCCD", "Lê Văn Đức, Sở Tư pháp",
                  "Công dân có mặt tại quầy và đồng ý"):
        assert shown in page
    unrelated = client.get(reverse("portal:lookup"), {"ma": other.code, "so": "024090009999"}).content.decode()
    assert 'id="document-accesses"' not in unrelated and "Căn cước (bản điện tử)" not in unrelated


def test_online_the_applicant_reuses_with_consent_and_sees_it(store, client):
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=Unit.objects.get(code="24"))
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", time_limit="1",
                       time_unit="in_day", online_level="full")
    card = Component.objects.create(procedure=proc, order=1, name="Giấy tờ tùy thân", document_type=f.document_type())
    data = {"unit": commune.pk, "applicant_kind": "individual", "applicant_name": "Ngô Thị G",
            "applicant_id": f.VALID_PID, f"reuse_{card.pk}": "on"}
    url = reverse("portal:procedure", args=[proc.code])
    assert "Tôi đồng ý cho cơ quan giải quyết dùng lại" in client.get(url).content.decode()
    refused = client.post(url, data)
    assert refused.status_code == 200 and "chính công dân đồng ý" in refused.content.decode()
    assert nothing_written()
    submitted = client.post(url, {**data, "reuse_consent": "on"})
    d = Dossier.objects.get()
    assert submitted.status_code == 302 and submitted.url.startswith("/tra-cuu/?t=") and f.VALID_PID not in submitted.url
    access = DocumentAccess.objects.get()
    assert (access.officer, access.consent, access.unit, access.document) == (
        None, ReuseConsent.ONLINE, commune, store["card_doc"])
    page = client.get(reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "Bạn (khi nộp trực tuyến)" in page and "Công dân đồng ý khi nộp hồ sơ trực tuyến" in page
