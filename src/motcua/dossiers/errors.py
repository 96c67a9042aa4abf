class DossierError(Exception):
    """A refused write; `message` is shown to people (Vietnamese), `code` to machines."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class ConcurrentUpdate(DossierError):
    def __init__(self):
        super().__init__("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thử lại.", "stale_version")
