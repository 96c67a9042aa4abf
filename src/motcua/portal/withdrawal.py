"""Online withdrawal, confirmed by a one-time code sent to the applicant's registered channel.

Why a code and not only the dossier code and the identification number: a company's tax code is
public and dossier codes are sequential (`<unit>-<yymmdd>-<nnnn>`), so those two prove nothing —
a dossier was found and withdrawn from a tax code in 963 requests. Withdrawing ends the
applicant's request (Decree 61/2018/NĐ-CP, art. 18: the applicant may withdraw while the dossier
is being handled; the fee already paid is not refunded once processing started), so it needs what
the applicant has and an outsider does not: the phone or e-mail address they gave when submitting,
as the national public service portal confirms sensitive actions by a one-time code. Citizens have
no login here (no VNeID integration yet), so a login cannot be the proof. A dossier with no phone
and no e-mail is withdrawn at the desk, with the applicant's papers.

The code (6 digits) is kept in Django's cache as an HMAC only, valid
`MOTCUA_LIMITS["withdrawal_code_minutes"]`, for `withdrawal_code_tries` tries; a new code replaces
the previous one. It goes out through the notices' outbox (`notify`) and is sent at once; the body
kept in the outbox is masked once sent.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Actor, Status, TransitionError, next_status
from motcua.notify.models import ApplicantMessage, NoticeChannel, NoticeKind
from motcua.notify.services import channel_for, deliver_pending, queue
from motcua.notify.texts import Text


class WithdrawalError(DossierError):
    pass


def _key(dossier: Dossier) -> str:
    return f"withdrawal-code:{dossier.pk}"


def _digest(dossier: Dossier, code: str) -> str:
    return salted_hmac("motcua.withdrawal", f"{dossier.pk}|{code}").hexdigest()


def _minutes() -> int:
    return settings.MOTCUA_LIMITS["withdrawal_code_minutes"]


def masked(channel: str, address: str) -> str:
    if channel == NoticeChannel.EMAIL:
        name, _, domain = address.partition("@")
        return f"{name[:1]}•••@{domain}"
    return "•" * max(0, len(address) - 3) + address[-3:]


def contact(dossier: Dossier) -> str | None:
    """Where a code would go (masked), or None: the dossier is withdrawn at the desk."""
    target = channel_for(dossier)
    return masked(*target) if target else None


def _check_open(dossier: Dossier) -> None:
    """The transition table's refusal, before a code is sent or tried."""
    try:
        next_status(Status(dossier.status), Action.WITHDRAW, Actor.APPLICANT)
    except TransitionError as exc:
        raise WithdrawalError(exc.message, exc.code) from None


def _text(dossier: Dossier, code: str, minutes: int) -> Text:
    return Text(f"Mã xác nhận rút hồ sơ {dossier.code}",
                f"Kính gửi {dossier.applicant_name},\n\nMã xác nhận rút hồ sơ {dossier.code} là {code}, có hiệu lực "
                f"{minutes} phút.\n\nNếu bạn không yêu cầu rút hồ sơ, hãy bỏ qua thư này: hồ sơ vẫn được xử lý."
                "\n\nTrân trọng.",
                f"Mã xác nhận rút hồ sơ {dossier.code}: {code} (hiệu lực {minutes} phút). Không chia sẻ mã này.")


def send_code(dossier: Dossier) -> str:
    """Send a new one-time code to the applicant's channel; the masked address it went to."""
    _check_open(dossier)
    target = channel_for(dossier)
    if target is None:
        raise WithdrawalError("Hồ sơ không có số điện thoại hoặc thư điện tử để nhận mã xác nhận; vui lòng rút hồ sơ "
                              "trực tiếp tại bộ phận một cửa.", "no_contact")
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = _minutes()
    cache.set(_key(dossier), _digest(dossier, code), timeout=minutes * 60)
    cache.delete(_key(dossier) + ":tries")
    message = queue(dossier, NoticeKind.ONE_TIME_CODE, f"otp:{secrets.token_hex(12)}", _text(dossier, code, minutes))
    deliver_pending(ids=[message.pk])
    hidden = _text(dossier, "••••••", minutes)
    ApplicantMessage.objects.filter(pk=message.pk, sent_at__isnull=False).update(
        body=hidden.letter if message.channel == NoticeChannel.EMAIL else hidden.line)
    return masked(*target)


def withdraw(dossier: Dossier, code: str, reason: str) -> Dossier:
    """Withdraw with the one-time code (through `transition`); a wrong, expired or exhausted code
    changes nothing."""
    _check_open(dossier)
    digest = cache.get(_key(dossier))
    if digest is None:
        raise WithdrawalError("Mã xác nhận đã hết hạn hoặc chưa được gửi; hãy yêu cầu mã mới.", "otp_expired")
    tries_key, limit = _key(dossier) + ":tries", settings.MOTCUA_LIMITS["withdrawal_code_tries"]
    cache.add(tries_key, 0, timeout=_minutes() * 60)
    try:
        tries = cache.incr(tries_key)  # counted before comparing: concurrent guesses each use a try
    except ValueError:  # the code expired meanwhile
        raise WithdrawalError("Mã xác nhận đã hết hạn; hãy yêu cầu mã mới.", "otp_expired") from None
    if tries > limit:
        raise WithdrawalError("Đã nhập sai mã xác nhận quá số lần cho phép; hãy yêu cầu mã mới.", "otp_locked")
    if not constant_time_compare(_digest(dossier, (code or "").strip()), digest):
        left = limit - tries
        raise WithdrawalError(f"Mã xác nhận không đúng (còn {left} lần thử)." if left else
                              "Mã xác nhận không đúng; đã hết số lần thử, hãy yêu cầu mã mới.", "otp_wrong")
    cache.delete_many([_key(dossier), tries_key])
    return transition(dossier, Action.WITHDRAW, role=Actor.APPLICANT,
                      reason=reason.strip() or "Công dân rút hồ sơ trực tuyến")
