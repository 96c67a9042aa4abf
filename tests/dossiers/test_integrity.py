import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import AppendOnlyError, ApplicantKind, Channel, DossierEvent, OutboxMessage
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    dept = f.unit()
    reception, processing = f.officer(dept, Role.RECEPTION), f.officer(dept, Role.PROCESSING)
    d = open_dossier(procedure=f.procedure(agency=dept), unit=dept, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=reception, at=f.at(2026, 5, 4, 8, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Lê Văn C", f.VALID_PID))
    transition(d, Action.START_PROCESSING, actor=processing, at=f.at(2026, 5, 4, 9, 0))
    transition(d, Action.COMPLETE, actor=processing, at=f.at(2026, 5, 5, 9, 0))
    return d


def problems():
    return [(p.seq, p.problem) for p in verify_event_chains()]


def test_intact_log_verifies(dossier, capsys):
    assert problems() == []
    call_command("verify-events")
    assert "toàn vẹn" in capsys.readouterr().out


def test_edited_event_is_detected(dossier):
    DossierEvent.objects.filter(dossier=dossier, seq=2).update(reason="sửa lén")
    assert problems() == [(2, "nội dung sự kiện đã bị sửa")]
    with pytest.raises(CommandError, match="1 vấn đề"):
        call_command("verify-events")


def test_edited_time_is_detected(dossier):
    DossierEvent.objects.filter(dossier=dossier, seq=3).update(at=f.at(2026, 5, 4, 10, 0))
    assert problems() == [(3, "nội dung sự kiện đã bị sửa")]


def delete_event(dossier, seq):
    """What a tamperer with database access would do: the event and its outbox entry go."""
    OutboxMessage.objects.filter(event__dossier=dossier, event__seq=seq).delete()
    DossierEvent.objects.filter(dossier=dossier, seq=seq).delete()


def test_deleted_middle_event_is_detected(dossier):
    delete_event(dossier, 2)
    assert problems() == [(2, "thiếu sự kiện (đã bị xóa)")]


def test_deleted_last_event_is_detected(dossier):
    delete_event(dossier, 3)
    assert problems() == [(None, "sự kiện cuối đã bị xóa hoặc thay thế")]


def test_events_refuse_edit_and_delete_through_the_model(dossier):
    event = dossier.events.first()
    event.reason = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
