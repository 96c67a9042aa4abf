"""The payload of a status change for the National Public Service Portal (Cổng DVC quốc gia).

Field names are the national ones; times are local "yyyyMMddHHmmss" as the national portal uses.
"""
from django.utils import timezone

# KenhThucHien: 1 direct at the desk, 2 online, 3 public postal service.
CHANNEL_CODES = {"direct": 1, "online": 2, "postal": 3}


def national_time(moment) -> str | None:
    return None if moment is None else timezone.localtime(moment).strftime("%Y%m%d%H%M%S")


def status_payload(dossier, event) -> dict:
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "MaDonVi": dossier.unit.code,
        "KenhThucHien": CHANNEL_CODES[dossier.channel],
        "TrangThai": int(dossier.status),
        "NgayNopHoSo": national_time(dossier.submitted_at),
        "NgayTiepNhan": national_time(dossier.received_at),
        "NgayHenTra": national_time(dossier.appointment_at),
        "NgayKetThucXuLy": national_time(dossier.finished_at),
        "NgayTraKetQua": national_time(dossier.returned_at),
        "ChuHoSo": dossier.applicant_name,
        "SoDinhDanh": dossier.applicant_id,
        "PhiLePhi": dossier.fee_total_vnd,
        "ThanhToanTrucTuyen": dossier.paid_online,
        "KetQuaDienTu": dossier.result_signed,
        "MaSuKien": event.hash,  # idempotency key: the portal ignores a change it already has
        "ThoiDiemSuKien": national_time(event.at),
    }


def queue_for_portal(fact) -> None:
    """After-append listener (`door.after_append`): every event goes to the national portal's
    outbox, in the transaction that appends it (imported history too: the portal reports it)."""
    from motcua.dossiers.models import OutboxMessage

    if fact.event is not None:
        OutboxMessage.objects.create(event=fact.event, dossier=fact.dossier,
                                     payload=status_payload(fact.dossier, fact.event))
