"""Withdrawal needs a one-time code sent to the applicant's registered channel: the code and the
number alone withdraw nothing; a wrong code changes nothing; too many tries lock the code; the
right code withdraws through the transition service."""
import re

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.transitions import Action, Status
from motcua.notify.models import ApplicantMessage, NoticeKind, StandInDelivery
from tests import factories as f
from tests.limits.conftest import assert_throttled_api, assert_throttled_page, submitted

pytestmark = pytest.mark.django_db
API = "/api/v1/lookup/withdraw"


def sms_code() -> str:
    return re.search(r"(?<![-\d])(\d{6})(?![-\d])", StandInDelivery.objects.last().text).group(1)


def unchanged(dossier):
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.status == Status.SUBMITTED_ONLINE and fresh.events.count() == 1


def post(client, data):
    return client.post(API, data, content_type="application/json")


def test_code_and_number_alone_withdraw_nothing(world, client):
    dossier = submitted(world)
    no_code = post(client, {"code": dossier.code, "id": f.VALID_PID})
    assert no_code.status_code == 400 and "otp" in no_code.json()["error"]["fields"]
    letters = post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": "12a456"})
    assert letters.json()["error"]["fields"] == {"otp": ["Mã xác nhận gồm đúng 6 chữ số."]}
    never_sent = post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": "123456"})
    assert never_sent.status_code == 400 and never_sent.json()["error"]["code"] == "otp_expired"
    page = client.post(reverse("portal:withdraw"), {"ma": dossier.code, "so": f.VALID_PID, "otp": ""}, follow=True)
    assert "Mã xác nhận đã hết hạn hoặc chưa được gửi" in page.content.decode()
    assert unchanged(dossier)


def test_the_code_goes_to_the_registered_phone_and_is_masked_in_the_outbox(world, client):
    dossier = submitted(world, phone="0912345678")
    sent = client.post(f"{API}/code", {"code": dossier.code, "id": f.VALID_PID}, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["sent_to"] == "•••••••678"
    delivered = StandInDelivery.objects.get()
    assert delivered.address == "0912345678" and dossier.code in delivered.text
    code = sms_code()
    kept = ApplicantMessage.objects.get(kind=NoticeKind.ONE_TIME_CODE)
    assert kept.sent_at is not None and f": {code} " not in kept.body and ": •••••• (hiệu lực 10 phút)" in kept.body
    assert unchanged(dossier)


def test_a_wrong_code_changes_nothing_and_too_many_tries_lock_it(world, client):
    dossier = submitted(world)
    client.post(f"{API}/code", {"code": dossier.code, "id": f.VALID_PID}, content_type="application/json")
    right = sms_code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    first = post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": wrong})
    assert first.status_code == 400 and first.json()["error"]["code"] == "otp_wrong"
    assert first.json()["error"]["message"] == "Mã xác nhận không đúng (còn 4 lần thử)."
    assert first.json()["error"]["fields"] == {"otp": ["Mã xác nhận không đúng (còn 4 lần thử)."]}
    for _ in range(4):
        assert post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": wrong}).status_code == 400
    locked = post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": right})  # even the right one now
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "otp_locked"
    assert "hãy yêu cầu mã mới" in locked.json()["error"]["message"]
    assert unchanged(dossier)


def test_the_right_code_withdraws_through_the_transition_service(world, client):
    dossier = submitted(world)
    lookup = client.post(reverse("portal:lookup"), {"ma": dossier.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "•••••••678" in lookup and "Gửi mã xác nhận" in lookup
    sent = client.post(reverse("portal:withdrawal_code"), {"ma": dossier.code, "so": f.VALID_PID}, follow=True)
    assert "Đã gửi mã xác nhận tới •••••••678" in sent.content.decode()
    page = client.post(reverse("portal:withdraw"), {"ma": dossier.code, "so": f.VALID_PID, "otp": sms_code(),
                                                    "reason": "Nộp nhầm thủ tục"}, follow=True)
    assert "Đã rút hồ sơ." in page.content.decode()
    dossier.refresh_from_db()
    event = DossierEvent.objects.filter(dossier=dossier).order_by("seq").last()
    assert dossier.status == Status.WITHDRAWN and dossier.version == 2 and dossier.event_head_hash == event.hash
    assert (event.action, event.actor_role, event.reason) == (Action.WITHDRAW, "applicant", "Nộp nhầm thủ tục")
    # The code is spent.
    again = post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": sms_code()})
    assert again.status_code == 409 and again.json()["error"]["code"] == "status_not_allowed"


def test_a_new_code_replaces_the_old_one(world, client):
    dossier = submitted(world)
    client.post(reverse("portal:withdrawal_code"), {"ma": dossier.code, "so": f.VALID_PID})
    old = sms_code()
    client.post(reverse("portal:withdrawal_code"), {"ma": dossier.code, "so": f.VALID_PID})
    new = sms_code()
    if old != new:
        assert post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": old}).json()["error"]["code"] == "otp_wrong"
    assert post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": new}).status_code == 200


def test_without_phone_or_email_the_dossier_is_withdrawn_at_the_desk(world, client):
    dossier = submitted(world, phone="", email="")
    lookup = client.post(reverse("portal:lookup"), {"ma": dossier.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "vui lòng rút hồ sơ trực tiếp tại bộ phận một cửa" in lookup and "Gửi mã xác nhận" not in lookup
    refused = client.post(f"{API}/code", {"code": dossier.code, "id": f.VALID_PID}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_contact"
    assert not ApplicantMessage.objects.exists() and unchanged(dossier)


def test_codes_sent_and_wrong_codes_are_limited_per_dossier(world, client):
    dossier = submitted(world)
    for n in range(3):  # "withdraw_code": dossier "3/h"
        sent = client.post(f"{API}/code", {"code": dossier.code, "id": f.VALID_PID}, content_type="application/json",
                           REMOTE_ADDR=f"203.0.113.{n}")
        assert sent.status_code == 200
    assert_throttled_api(client.post(f"{API}/code", {"code": dossier.code, "id": f.VALID_PID},
                                     content_type="application/json", REMOTE_ADDR="203.0.113.99"))
    assert StandInDelivery.objects.count() == 3
    # Wrong codes across codes and addresses: "withdraw": dossier "10/d".
    for n in range(10):
        post(client, {"code": dossier.code, "id": f.VALID_PID, "otp": "000000"})
    assert_throttled_page(client.post(reverse("portal:withdraw"), {"ma": dossier.code, "so": f.VALID_PID,
                                                                    "otp": "000000"}, REMOTE_ADDR="198.51.100.1"))
    assert unchanged(dossier)
