"""The desk over JSON: session + CSRF, queues, a dossier, reception, every action, scoping, and
refusals that change nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import (
    ApplicantKind, Channel, ComponentFile, DeadlineState, Dossier, DossierComponent, DossierEvent, OutboxMessage,
    PersonalDocument,
)
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.api.conftest import API, PDF, as_officer

pytestmark = pytest.mark.django_db


def received(world, name="Trần Thị B") -> Dossier:
    return open_dossier(procedure=world["procedure"], unit=world["unit"], channel=Channel.DIRECT,
                        applicant=Applicant(ApplicantKind.INDIVIDUAL, name, f.VALID_PID),
                        action=Action.RECEIVE, actor=world[Role.RECEPTION])


def snapshot(dossier: Dossier) -> tuple:
    """Everything an action could have written about a dossier."""
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    return (row, DossierEvent.objects.filter(dossier=dossier).count(), OutboxMessage.objects.count(),
            DossierComponent.objects.count(), ComponentFile.objects.count())


def act(client, dossier, action, **body):
    body.setdefault("version", Dossier.objects.get(pk=dossier.pk).version)
    return client.post(f"{API}/dossiers/{dossier.code}/actions/{action}", body, content_type="application/json")


def detail(client, code) -> dict:
    response = client.get(f"{API}/dossiers/{code}")
    assert response.status_code == 200, response.json()
    return response.json()


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


# -- authentication ---------------------------------------------------------------------------


def test_not_logged_in_is_401_with_the_error_shape(world, client):
    d = received(world)
    for response in (client.get(f"{API}/dossiers"), client.get(f"{API}/dossiers/{d.code}"),
                     client.get(f"{API}/units"),
                     client.post(f"{API}/dossiers/{d.code}/actions/start_processing", {"version": 1},
                                 content_type="application/json")):
        assert response.status_code == 401
        assert error(response)["code"] == "not_authenticated"


def test_writes_need_the_csrf_token_of_the_session(world):
    d = received(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world[Role.PROCESSING])
    assert client.get(f"{API}/dossiers/{d.code}").status_code == 200  # reads need no token; the cookie comes back
    url = f"{API}/dossiers/{d.code}/actions/start_processing"
    body = {"version": d.version, "assignee_id": world[Role.PROCESSING].pk}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and error(refused)["code"] == "csrf_failed"
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == Status.IN_PROCESS


# -- queues and a dossier ------------------------------------------------------------------------


def test_queues_are_paginated_and_most_urgent_first(world):
    dossiers = [received(world, f"Người {i}") for i in range(3)]
    Dossier.objects.filter(pk=dossiers[0].pk).update(deadline_state=DeadlineState.AT_RISK)
    Dossier.objects.filter(pk=dossiers[1].pk).update(assignee=world[Role.PROCESSING])
    reception = as_officer(world[Role.RECEPTION])

    unit = reception.get(f"{API}/dossiers", {"queue": "unit", "page_size": 2}).json()
    assert (unit["queue"], unit["count"], len(unit["items"])) == ("unit", 3, 2)
    assert [d["code"] for d in unit["items"]] == [d.code for d in dossiers[:2]]  # earliest appointment first
    assert reception.get(f"{API}/dossiers", {"queue": "unit", "page_size": 2, "page": 2}).json()["items"][0]["code"] \
        == dossiers[2].code
    counts = {q["key"]: q["count"] for q in unit["queues"]}
    assert counts == {"mine": 0, "unit": 3, "new": 0, "received": 3, "in_process": 0, "waiting": 0, "to_sign": 0,
                      "to_return": 0, "at_risk": 1, "overdue": 0, "all": 3, "received_for_others": 0}
    assert [d["code"] for d in reception.get(f"{API}/dossiers", {"queue": "at_risk"}).json()["items"]] \
        == [dossiers[0].code]
    # A processing officer's default queue is their own.
    mine = as_officer(world[Role.PROCESSING]).get(f"{API}/dossiers").json()
    assert mine["queue"] == "mine" and [d["code"] for d in mine["items"]] == [dossiers[1].code]
    row = unit["items"][0]
    assert row["status"] == 2 and row["status_label"] == "Được tiếp nhận" and row["version"] == 1


def test_a_bad_queue_or_page_is_a_400_naming_the_input(world):
    response = as_officer(world[Role.RECEPTION]).get(f"{API}/dossiers", {"queue": "everything", "page": 0})
    assert response.status_code == 400
    problem = error(response)
    assert problem["code"] == "validation" and set(problem["fields"]) == {"queue", "page"}
    assert "Phải lớn hơn hoặc bằng 1" in problem["fields"]["page"][0]


def test_detail_has_components_events_and_the_callers_actions(world):
    d = received(world)
    detail = as_officer(world[Role.PROCESSING]).get(f"{API}/dossiers/{d.code}").json()
    assert detail["code"] == d.code and detail["applicant"]["identifier"] == f.VALID_PID
    assert [e["action"] for e in detail["events"]] == ["receive"]
    assert detail["events"][0]["actor"] == world[Role.RECEPTION].username
    assert {a["action"] for a in detail["allowed_actions"]} == {
        "start_processing", "transfer", "request_supplement", "request_payment"}
    start = next(a for a in detail["allowed_actions"] if a["action"] == "start_processing")
    assert start["required"] == ["assignee_id"] and "step_id" in start["params"]
    assert {o["username"] for o in detail["assignees"]} == {world[r].username for r in Role if r in world}
    assert [s["name"] for s in detail["steps"]] == ["Tiếp nhận", "Thẩm định", "Phê duyệt"]
    assert detail["slips"]["01"].endswith("/phieu/01.pdf")
    reception = as_officer(world[Role.RECEPTION]).get(f"{API}/dossiers/{d.code}").json()
    assert {a["action"] for a in reception["allowed_actions"]} == {
        "start_processing", "request_supplement", "request_payment", "withdraw"}  # no refusal once received


# -- scoping -----------------------------------------------------------------------------------------


def test_another_units_dossier_is_not_found(world):
    d = received(world)
    before = snapshot(d)
    other = as_officer(world["other_head"])
    assert other.get(f"{API}/dossiers/{d.code}").status_code == 404
    assert other.get(f"{API}/dossiers", {"queue": "unit"}).json()["count"] == 0
    response = act(other, d, "start_processing", assignee_id=world["other_head"].pk)
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert snapshot(d) == before


def test_the_provincial_office_reads_everything_and_changes_nothing(world):
    d = received(world)
    before = snapshot(d)
    office = as_officer(world["provincial"])
    assert office.get(f"{API}/dossiers", {"queue": "unit"}).json()["count"] == 1
    detail = office.get(f"{API}/dossiers/{d.code}").json()
    assert detail["code"] == d.code and detail["allowed_actions"] == [] and detail["assignees"] == []
    response = act(office, d, "start_processing", assignee_id=world[Role.PROCESSING].pk)
    assert response.status_code == 403 and error(response)["code"] == "role_read_only"
    assert snapshot(d) == before
    refused = office.post(f"{API}/dossiers", {"procedure_code": world["procedure"].code})
    assert refused.status_code in (400, 403) and Dossier.objects.count() == 1


ROLES = ["anonymous", Role.RECEPTION, Role.PROCESSING, Role.HEAD, "other_head", "provincial", "admin"]
# role → (dossiers in the unit queue, GET the dossier, POST request_payment, POST /dossiers)
MATRIX = {
    "anonymous": (None, 401, 401, 401),
    Role.RECEPTION: (1, 200, 200, 201),
    Role.PROCESSING: (1, 200, 200, 403),
    Role.HEAD: (1, 200, 200, 403),
    "other_head": (0, 404, 404, 403),
    "provincial": (1, 200, 403, 403),
    "admin": (1, 200, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_endpoint(world, role, client):
    d = received(world)
    if role == "admin":
        world["admin"] = Officer.objects.create_superuser("root", password="x-pass-123", role=Role.ADMIN,
                                                         unit=world["province"])
    if role != "anonymous":
        client.force_login(world[role])
    queue, read, write, receive = MATRIX[role]
    listed = client.get(f"{API}/dossiers", {"queue": "unit"})
    assert (listed.json()["count"] if listed.status_code == 200 else None) == queue
    assert client.get(f"{API}/dossiers/{d.code}").status_code == read
    assert act(client, d, "request_payment").status_code == write
    assert Dossier.objects.get(pk=d.pk).status == (Status.PAYMENT_REQUESTED if write == 200 else Status.RECEIVED)
    assert client.post(f"{API}/dossiers", reception_data(world)).status_code == receive
    assert Dossier.objects.count() == (2 if receive == 201 else 1)
    assert client.get(f"{API}/units").status_code == (401 if role == "anonymous" else 200)


# -- reception at the desk -------------------------------------------------------------------------


def reception_data(world, **extra):
    return {"procedure_code": world["procedure"].code, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID,
            "component_ids": [world["form"].pk, world["card"].pk],
            "files": [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
                      SimpleUploadedFile("cccd.pdf", PDF + b"2", "application/pdf")], **extra}


def test_reception_digitizes_the_components_and_fixes_the_appointment(world):
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", reception_data(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    d = Dossier.objects.get(code=body["code"])
    assert (d.status, d.channel, d.fee_total_vnd, d.unit) == (Status.RECEIVED, "direct", 200_000, world["unit"])
    assert [o.amount_vnd for o in d.fee_obligations.all()] == [200_000]  # payable at once, cash or online
    # The answer is the receipt: what the desk prints and the next action needs, not the whole dossier.
    assert set(body) == {"code", "version", "status", "status_label", "appointment_at", "slips"}
    assert body["appointment_at"] is not None and body["version"] == 1 and body["status"] == Status.RECEIVED
    assert body["status_label"] == "Được tiếp nhận" and "01" in body["slips"]
    full = detail(as_officer(world[Role.RECEPTION]), body["code"])
    assert full["appointment_at"] == body["appointment_at"]
    assert sorted((c["name"], c["digitized"], len(c["files"])) for c in full["components"]) == [
        ("Bản sao CCCD", True, 1), ("Tờ khai", True, 1)]
    assert full["events"][0]["action"] == "receive"


def test_reception_reuses_a_document_from_the_applicants_store(world):
    PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Bản sao CCCD", path="components/aa/x", sha256="a" * 64,
                                    document_type=f.document_type())
    data = reception_data(world, component_ids=[world["form"].pk], reuse_component_ids=[world["card"].pk],
                          reuse_consent=True,
                          files=[SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")])
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", data)
    assert response.status_code == 201, response.json()
    full = detail(as_officer(world[Role.RECEPTION]), response.json()["code"])
    card = next(c for c in full["components"] if c["name"] == "Bản sao CCCD")
    assert card["reused"] and card["from_personal_store"] and card["files"][0]["sha256"] == "a" * 64


def test_refusal_at_the_desk_needs_reasons(world):
    reception = as_officer(world[Role.RECEPTION])
    data = {k: v for k, v in reception_data(world).items() if k not in ("files", "component_ids")}
    missing = reception.post(f"{API}/dossiers", {**data, "outcome": "refuse"})
    assert missing.status_code == 400 and "refusal_reasons" in error(missing)["fields"]
    refused = reception.post(f"{API}/dossiers", {**data, "outcome": "refuse",
                                                 "refusal_reasons": "Thiếu tờ khai\nẢnh không rõ"})
    assert refused.status_code == 201 and refused.json()["status"] == Status.REFUSED
    assert "03" in refused.json()["slips"] and "01" not in refused.json()["slips"]
    assert detail(reception, refused.json()["code"])["events"][0]["reason"] == "Thiếu tờ khai\nẢnh không rõ"
    # A refused dossier owes no fee (payments.services.fee_on_opening), as on the desk page.
    refused_dossier = Dossier.objects.get(code=refused.json()["code"])
    assert refused_dossier.fee_total_vnd == 0 and not refused_dossier.fee_obligations.exists()


@pytest.mark.parametrize("change, field, code", [
    ({"applicant_id": "12345"}, "applicant_id", "validation"),
    ({"applicant_id": "999090001234"}, "applicant_id", "validation"),  # no such province code
    ({"applicant_name": ""}, "applicant_name", "validation"),
    ({"procedure_code": "9.999999"}, "procedure_code", "validation"),
    ({"channel": "online"}, "channel", "validation"),
    ({"component_ids": []}, "component_ids", "validation"),  # two files, no components named
    ({"component_ids": [1], "files": []}, "component_ids", "validation"),
    ({"files": [SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload"),
                SimpleUploadedFile("cccd.pdf", PDF, "application/pdf")]}, "files", "file_rejected"),
])
def test_bad_reception_input_is_a_400_and_writes_nothing(world, change, field, code):
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", reception_data(world, **change))
    assert response.status_code == 400, response.json()
    problem = error(response)
    assert problem["code"] == code and field in problem["fields"], problem
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0 and ComponentFile.objects.count() == 0


def test_a_missing_required_component_is_named(world):
    data = reception_data(world, component_ids=[world["form"].pk],
                          files=[SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")])
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", data)
    assert response.status_code == 400
    assert "Thành phần bắt buộc" in error(response)["fields"][f"components.{world['card'].pk}"][0]
    assert Dossier.objects.count() == 0


def test_reuse_without_a_stored_document_is_refused(world):
    data = reception_data(world, component_ids=[world["form"].pk], reuse_component_ids=[world["card"].pk],
                          files=[SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")], reuse_consent=True)
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", data)
    assert response.status_code == 409 and error(response)["code"] == "nothing_to_reuse"
    assert Dossier.objects.count() == 0 and ComponentFile.objects.count() == 0


def test_only_reception_officers_receive(world):
    response = as_officer(world[Role.PROCESSING]).post(f"{API}/dossiers", reception_data(world))
    assert response.status_code == 403 and error(response)["code"] == "reception_only"
    other = as_officer(world["other_reception"]).post(f"{API}/dossiers", reception_data(world))
    assert other.status_code == 400 and "procedure_code" in error(other)["fields"]  # not that unit's procedure
    assert Dossier.objects.count() == 0


# -- actions -------------------------------------------------------------------------------------


def test_a_dossier_walks_through_processing_to_the_returned_result(world):
    d = received(world)
    processing, head, reception = (as_officer(world[r]) for r in (Role.PROCESSING, Role.HEAD, Role.RECEPTION))
    step = world["procedure"].steps.get(order=2)

    started = act(processing, d, "start_processing", assignee_id=world[Role.PROCESSING].pk, step_id=step.pk)
    assert started.status_code == 200, started.json()
    # An action answers what the next one needs; the dossier itself is one GET away.
    assert started.json() == {"code": d.code, "version": 2, "status": Status.IN_PROCESS, "status_label": "Đang xử lý"}
    now = detail(processing, d.code)
    assert now["assignee"] == world[Role.PROCESSING].username and now["current_step"]["id"] == step.pk
    asked = act(processing, d, "request_supplement", items=["Bản sao sổ hộ khẩu"], reason="Thiếu giấy tờ")
    assert asked.status_code == 200 and asked.json()["status"] == Status.SUPPLEMENT_REQUESTED
    assert detail(processing, d.code)["events"][-1]["data"]["items"] == ["Bản sao sổ hộ khẩu"]
    assert act(reception, d, "receive_supplement").json()["status"] == Status.IN_PROCESS
    assert act(processing, d, "request_payment").json()["status"] == Status.PAYMENT_REQUESTED
    Dossier.objects.filter(pk=d.pk).update(fee_total_vnd=50_000)  # arrange: a fee-bearing dossier
    online = act(reception, d, "confirm_payment", payment_channel="national")
    assert online.status_code == 409 and online.json()["error"]["code"] == "online_payment_via_gateway"
    paid = act(reception, d, "confirm_payment", payment_channel="cash")
    assert paid.json()["status"] == Status.IN_PROCESS and paid.json()["version"] == 6
    assert detail(reception, d.code)["payment_channel"] == "cash"
    from motcua.payments.models import Payment

    receipt = Payment.objects.get(obligation__dossier=d)
    assert (receipt.amount_vnd, receipt.channel, receipt.received_by) == (50_000, "cash", world[Role.RECEPTION])
    forwarded = act(processing, d, "forward", assignee_id=world[Role.HEAD].pk)
    assert forwarded.status_code == 200 and detail(head, d.code)["assignee"] == world[Role.HEAD].username
    # The head who completes a document result also signs it, as at the desk: two events.
    completed = act(head, d, "complete", result_paper=True)
    assert completed.json()["status"] == Status.PROCESSED and completed.json()["version"] == 9
    signed = detail(reception, d.code)
    assert signed["result_is_document"] and signed["result_signed"] and len(signed["result_sha256"]) == 64
    assert [e["action"] for e in signed["events"][-2:]] == ["complete", "sign_result"]
    done = act(reception, d, "return_result")
    assert done.status_code == 200 and done.json()["status"] == Status.RETURNED
    assert done.json()["version"] == 10
    final = detail(reception, d.code)
    assert [e["seq"] for e in final["events"]] == list(range(1, 11)) and final["allowed_actions"] == []


def test_a_stale_version_is_a_409_and_changes_nothing(world):
    d = received(world)
    processing = as_officer(world[Role.PROCESSING])
    before = snapshot(d)
    response = act(processing, d, "start_processing", version=d.version - 1, assignee_id=world[Role.PROCESSING].pk)
    assert response.status_code == 409
    problem = error(response)
    assert problem["code"] == "stale_version" and "version" in problem["fields"]
    assert "cập nhật" in problem["message"]
    assert snapshot(d) == before


def test_a_received_dossier_is_stopped_not_refused(world):
    """Refusal only at reception (Mẫu 03); after it a stop with the stop notice (Mẫu 05)."""
    d = received(world)
    head = as_officer(world[Role.HEAD])
    before = snapshot(d)
    refused = act(head, d, "refuse", reason="Không đủ điều kiện")
    assert refused.status_code == 409 and error(refused)["code"] == "status_not_allowed"
    assert "Từ chối tiếp nhận" in error(refused)["message"]
    assert snapshot(d) == before
    stopped = act(head, d, "stop", reason="Đất đang có tranh chấp")
    assert stopped.status_code == 200 and stopped.json()["status"] == Status.STOPPED
    slips = detail(head, d.code)["slips"]
    assert slips["05"].endswith("/phieu/05.pdf") and slips["06"].endswith("/phieu/06.pdf") and "03" not in slips


def test_an_action_the_status_does_not_allow_is_a_409(world):
    d = received(world)
    before = snapshot(d)
    response = act(as_officer(world[Role.HEAD]), d, "complete")
    assert response.status_code == 409 and error(response)["code"] == "status_not_allowed"
    assert "Hoàn thành xử lý" in error(response)["message"]
    assert snapshot(d) == before


def test_an_action_the_role_may_not_take_is_a_403(world):
    d = received(world)
    before = snapshot(d)
    response = act(as_officer(world[Role.RECEPTION]), d, "transfer", to_unit_id=world["other"].pk, reason="x")
    assert response.status_code == 403 and error(response)["code"] == "role_not_allowed"
    assert snapshot(d) == before


def test_an_unknown_action_or_a_malformed_body_is_a_400(world):
    d = received(world)
    processing = as_officer(world[Role.PROCESSING])
    unknown = act(processing, d, "approve_everything")
    assert unknown.status_code == 400 and "action" in error(unknown)["fields"]
    garbled = processing.post(f"{API}/dossiers/{d.code}/actions/start_processing", "{not json",
                              content_type="application/json")
    assert garbled.status_code == 400 and error(garbled)["code"] == "malformed_body"
    no_version = processing.post(f"{API}/dossiers/{d.code}/actions/start_processing", {},
                                 content_type="application/json")
    assert no_version.status_code == 400 and "version" in error(no_version)["fields"]


@pytest.mark.parametrize("who, action, body, field", [
    (Role.PROCESSING, "start_processing", lambda w: {}, "assignee_id"),
    (Role.PROCESSING, "start_processing", lambda w: {"assignee_id": w["other_head"].pk}, "assignee_id"),  # other unit
    (Role.PROCESSING, "start_processing", lambda w: {"assignee_id": w[Role.PROCESSING].pk, "step_id": 10**9},
     "step_id"),
    (Role.HEAD, "transfer", lambda w: {"to_unit_id": w["other"].pk}, "reason"),
    (Role.HEAD, "transfer", lambda w: {"to_unit_id": w["province"].pk, "reason": "x"}, "to_unit_id"),
    (Role.PROCESSING, "request_supplement", lambda w: {"reason": "Thiếu"}, "items"),
    (Role.PROCESSING, "request_supplement", lambda w: {"items": ["  "], "reason": "Thiếu"}, "items"),
    (Role.HEAD, "stop", lambda w: {"reason": "   "}, "reason"),
    (Role.HEAD, "stop", lambda w: {"reason": "nul \x00 byte"}, "reason"),
])
def test_an_action_without_what_it_needs_is_a_400_naming_the_input(world, who, action, body, field):
    d = received(world)
    before = snapshot(d)
    response = act(as_officer(world[who]), d, action, **body(world))
    assert response.status_code == 400, response.json()
    assert field in error(response)["fields"], error(response)
    assert snapshot(d) == before


def test_a_second_supplement_request_needs_the_overdue_acknowledgement(world):
    d = received(world)
    processing, reception = as_officer(world[Role.PROCESSING]), as_officer(world[Role.RECEPTION])
    act(processing, d, "request_supplement", items=["A"], reason="Thiếu A")
    act(reception, d, "receive_supplement")
    before = snapshot(d)
    again = act(processing, d, "request_supplement", items=["B"], reason="Thiếu B")
    assert again.status_code == 409 and error(again)["code"] == "second_supplement"
    assert "acknowledge_overdue" in error(again)["fields"]
    assert snapshot(d) == before
    acknowledged = act(processing, d, "request_supplement", items=["B"], reason="Thiếu B", acknowledge_overdue=True)
    assert acknowledged.status_code == 200 and detail(processing, d.code)["supplement_count"] == 2


def test_a_transfer_hands_the_dossier_to_the_other_unit(world):
    d = received(world)
    head = as_officer(world[Role.HEAD])
    assert {u["code"] for u in head.get(f"{API}/units").json()} == {"STP", "SXD", "07627"}
    moved = act(head, d, "transfer", to_unit_id=world["other"].pk, reason="Liên thông")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == Status.RECEIVED and moved.json()["version"] == 2
    # The unit that received it still sees it (the result comes back to its desk), but only reads it.
    assert head.get(f"{API}/dossiers/{d.code}").json()["allowed_actions"] == []
    other = as_officer(world["other_head"]).get(f"{API}/dossiers/{d.code}").json()
    assert other["unit"]["code"] == "SXD" and other["events"][-1]["action"] == "transfer"


def test_the_applicants_own_action_is_not_an_officer_action(world):
    d = received(world)
    response = act(as_officer(world[Role.RECEPTION]), d, Action.SUBMIT_ONLINE.value)
    assert response.status_code == 400 and "action" in error(response)["fields"]
