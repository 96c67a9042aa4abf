from motcua.common.errors import AppError


class DossierError(AppError):
    """A refused write on a dossier."""


class ConcurrentUpdate(DossierError):
    def __init__(self):
        super().__init__("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thử lại.", "stale_version")
