"""Stand-ins exist only when development asks for them (issue 12). The attack: with a production
configuration, take the signed redirect to the real gateway from /thanh-toan/bat-dau/ and post it
to the simulator with outcome=pay — it used to sign a success with the real merchant secret."""
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua import production
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.integrations import population
from motcua.integrations.models import ReceivedStatusChange
from motcua.notify.adapters import sender_for
from motcua.notify.models import NoticeChannel
from motcua.payments.models import Payment, PaymentNotification, PaymentStatus
from tests import factories as f
from tests.payments.conftest import make_waiting_dossier

pytestmark = pytest.mark.django_db
GATEWAY = "https://pay.vnpay.example/vpcpay.html"


@pytest.fixture
def production_settings(settings):
    """What a province runs: debug off, real-looking secrets, the real gateway, every stand-in off."""
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 60
    settings.MOTCUA_VNPAY_HASH_SECRET = "real-merchant-secret-issued-by-the-gateway"
    settings.MOTCUA_NATIONAL_PAY_SECRET = "real-national-platform-secret"
    settings.MOTCUA_KEY_PASSPHRASE = "real-key-passphrase"
    settings.MOTCUA_EVENT_KEYS = "k2026:" + "e" * 40
    settings.MOTCUA_TEST_PKI = False
    settings.MOTCUA_VNPAY_PAY_URL = GATEWAY
    settings.MOTCUA_NATIONAL_ENDPOINT = "https://dongbo.example.gov.vn/api/trang-thai"
    for stand_in in production.STAND_INS:
        setattr(settings, stand_in, False)
    assert production.problems(settings) == []
    return settings


def test_the_simulator_cannot_pay_a_fee_in_production(client, production_settings):
    dossier = make_waiting_dossier()
    started = client.post("/thanh-toan/bat-dau/", {"ma": dossier.code, "so": f.VALID_PID})
    assert started.status_code == 302 and started["Location"].startswith(GATEWAY + "?")
    signed = dict(parse_qsl(urlsplit(started["Location"]).query))
    assert signed["vnp_SecureHash"]  # a genuine request, signed with the real merchant secret

    for path in ("/thanh-toan/gia-lap/", "/thanh-toan/gia-lap/quoc-gia/"):
        assert client.post(path, {**signed, "outcome": "pay"}).status_code == 404
        assert client.get(path, signed).status_code == 404
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING and payment.paid_at is None
    assert not PaymentNotification.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAYMENT_REQUESTED


def test_the_national_receiver_stand_in_answers_404_and_stores_nothing(client, production_settings):
    for method in (client.get, client.post):
        assert method("/_quoc-gia/dong-bo/").status_code == 404
    response = client.post("/_quoc-gia/dong-bo/", b'{"ma_ho_so": "X"}', content_type="application/json")
    assert response.status_code == 404
    assert not ReceivedStatusChange.objects.exists()


def test_without_the_stand_ins_no_local_population_registry_nor_text_recorder(settings):
    settings.MOTCUA_POPULATION_STAND_IN = settings.MOTCUA_TEXT_STAND_IN = False
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_POPULATION_ADAPTER"):
        population.configured_adapter()
    for channel in (NoticeChannel.SMS, NoticeChannel.ZALO):
        with pytest.raises(ImproperlyConfigured, match="MOTCUA_(SMS|ZALO)_ADAPTER"):
            sender_for(channel)


def test_development_turns_each_stand_in_on(settings):
    assert all(getattr(settings, name) for name in production.STAND_INS)  # the suite asks for them
    assert isinstance(population.configured_adapter(), population.LocalPopulationRegistry)
    assert type(sender_for(NoticeChannel.SMS)).__name__ == "LocalTextGateway"
    assert settings.MOTCUA_NATIONAL_ENDPOINT.endswith("/_quoc-gia/dong-bo/")
