"""Two identical notifications arrive at the same moment: the fee is paid once."""
import threading

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import Payment, PaymentNotification, PaymentStatus
from motcua.payments.services import handle_ipn
from tests.payments.conftest import make_waiting_dossier
from tests.payments.helpers import ipn_params, start


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("simulator_on")
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_notifications_pay_once(attempt):
    d = make_waiting_dossier()
    payment, _ = start(d)
    params = ipn_params(payment)
    barrier, answers = threading.Barrier(2), []

    def notify():
        try:
            barrier.wait()
            answers.append(handle_ipn(params)["RspCode"])
        finally:
            connection.close()

    threads = [threading.Thread(target=notify) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == ["00", "02"]
    final = Dossier.objects.get(pk=d.pk)
    assert final.status == Status.IN_PROCESS
    assert final.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert PaymentNotification.objects.count() == 2
