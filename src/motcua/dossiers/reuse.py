"""Reuse of documents from the applicant's store (kho dữ liệu cá nhân), issued by any unit.

A document of someone's store is personal data: it is used only with its owner's consent
(Nghị định 13/2023/NĐ-CP, Điều 11) — the applicant present at the desk, as the receiving officer
records, or the applicant agreeing when submitting online — and the owner may know every use of
it (Điều 9, khoản 1): each one is logged (`DocumentAccess`) and shown on the tracking page.

A document stands only for a component of its own type (`catalogue.DocumentType`): a component
with no type takes nothing from the store.
"""
from datetime import datetime

from django.core.files.storage import default_storage

from motcua.catalogue.models import Component
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    Channel, ComponentFile, DocumentAccess, Dossier, DossierComponent, PersonalDocument, ReuseConsent,
)

NO_CONSENT = ("Chỉ được dùng lại giấy tờ trong kho dữ liệu cá nhân khi công dân có mặt tại quầy và đồng ý "
              "(cán bộ tiếp nhận xác nhận), hoặc khi chính công dân đồng ý lúc nộp trực tuyến.")


def check_consent(components, consent: ReuseConsent | None, *, actor, channel: str) -> None:
    """DossierError unless the consent given fits who takes documents from the store, and how:
    an officer only with the applicant present at the desk, the applicant only online."""
    if not any(item.from_personal_store for item in components):
        return
    if consent is None:
        raise DossierError(NO_CONSENT, "reuse_without_consent")
    if actor is not None and (consent != ReuseConsent.PRESENT or channel != Channel.DIRECT):
        raise DossierError("Cán bộ chỉ dùng lại giấy tờ trong kho khi công dân có mặt tại quầy (hồ sơ nộp trực tiếp) "
                           "và đồng ý; hồ sơ qua bưu chính dùng bản giấy tờ gửi kèm.", "reuse_without_consent")
    if actor is None and (consent != ReuseConsent.ONLINE or channel != Channel.ONLINE):
        raise DossierError(NO_CONSENT, "reuse_without_consent")


def reuse_document(dossier: Dossier, component: DossierComponent, *, consent: ReuseConsent, actor,
                   at: datetime) -> PersonalDocument:
    """Attach to `component` the applicant's latest document of the component's type, and log the use."""
    document_type = (Component.objects.filter(pk=component.catalogue_component_id, procedure_id=dossier.procedure_id)
                     .values_list("document_type_id", "document_type__name").first())
    if document_type is None or document_type[0] is None:
        raise DossierError(f"Thành phần «{component.name}» chưa được gắn loại giấy tờ nên không dùng lại được giấy "
                           "tờ trong kho dữ liệu cá nhân; hãy quét hoặc tải lên.", "component_untyped")
    type_id, type_name = document_type
    document = (PersonalDocument.objects.filter(owner_id=dossier.applicant_id, document_type_id=type_id)
                .order_by("-created_at", "-id").first())
    if document is None:
        raise DossierError(f"Kho dữ liệu của công dân không có giấy tờ loại «{type_name}» để dùng lại cho "
                           f"«{component.name}».", "nothing_to_reuse")
    size = default_storage.size(document.path) if default_storage.exists(document.path) else 0
    ComponentFile.objects.create(component=component, path=document.path, sha256=document.sha256, size=size,
                                 content_type="application/pdf", original_name=document.name)
    DocumentAccess.objects.create(
        document=document, dossier=dossier, component=component, officer=actor, unit=dossier.unit,
        consent=consent, at=at,
        purpose=f"Hồ sơ {dossier.code} (thủ tục {dossier.procedure.code}): dùng «{document.name}» "
                f"cho thành phần «{component.name}»"[:500])
    return document
