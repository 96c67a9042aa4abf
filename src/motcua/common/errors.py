"""The application's one error hierarchy: every refusal a service gives its caller is an `AppError`.

Each app names its own subclass (`DossierError`, `TransitionError`, `PaymentError`,
`FeedbackError`) so that a caller can catch one app's refusals; a page or the API that shows
any refusal catches `AppError`.
"""


class AppError(Exception):
    """A refused operation: `message` is shown to people (Vietnamese, or a lazy translation that is
    rendered in the reader's language when shown), `code` to machines (the API's error code)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
