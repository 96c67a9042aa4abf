"""The results rules the dossiers' door checks (`dossiers.door.require`, registered in
`ResultsConfig.ready`): only a signature marks a result signed, and a document result is returned
only signed (the product's rule of `services`: a document result is always issued as a signed PDF)."""
from motcua.dossiers.errors import DossierError
from motcua.results.models import SignedDocument


def signature_exists(dossier, params: dict) -> None:
    """SIGN_RESULT names the file the signature produced: a signed document of this dossier with
    exactly that content must exist (`services.sign_result` stores it first)."""
    sha256 = params.get("result_sha256", "")
    if not sha256 or not SignedDocument.objects.filter(dossier=dossier, sha256=sha256).exists():
        raise DossierError("Chỉ thao tác ký số mới ghi nhận kết quả đã ký: không có văn bản ký số nào của hồ sơ "
                           "với tệp kết quả này.", "no_signed_document")


def returned_only_signed(dossier, params: dict) -> None:
    """RETURN_RESULT of a document result waits for the head's signature (paper never replaces it)."""
    if dossier.procedure.result_is_document and not dossier.result_signed:
        raise DossierError("Kết quả là giấy tờ phải được ký số (bản điện tử) trước khi trả; bản giấy chỉ là "
                           "bản bổ sung.", "result_not_signed")
