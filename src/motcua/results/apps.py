from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "motcua.results"
    verbose_name = "Kết quả điện tử, ký số và chứng thực bản sao điện tử"

    def ready(self):
        from motcua.dossiers.door import require
        from motcua.dossiers.transitions import Action
        from motcua.results import preconditions

        require(Action.SIGN_RESULT, preconditions.signature_exists)
        require(Action.RETURN_RESULT, preconditions.returned_only_signed)
