from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = "Thanh toán phí, lệ phí"

    def ready(self):
        from motcua.dossiers.door import require
        from motcua.dossiers.transitions import Action
        from motcua.payments.preconditions import payment_recorded

        require(Action.CONFIRM_PAYMENT, payment_recorded)
