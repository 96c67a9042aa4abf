"""Ratings and petitions for the demo province, through the feedback app's services.

Shaped on the real portal (Phú Thọ, 08/2026, tests/data/README.md): petitions are rare and
gather in a few units; about 72 % concern procedures and 25 % officers' behaviour; 74 % are
handled on time and 55 % count as satisfying. The demo has far fewer dossiers than the real
province, so it draws a petition for about 1 in 100 dossiers (the portal: 1 in 750), otherwise
G5 would show almost none. Ratings: a share of the returned dossiers, more often unsatisfied
when the dossier was late.
"""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.db import transaction

from motcua.demo.feedback_parquet import (PETITION_SHARE, PRONE_UNITS, RATED_SHARE, RE_RAISED,
                                          UNSATISFIED_LATE, UNSATISFIED_ON_TIME)
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback.models import Category
from motcua.feedback.services import act, rate_dossier, react, submit_petition, supply_info
from motcua.units.models import Officer, Role, Unit, UnitKind
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.services import province_calendar

CATEGORIES = ((Category.PROCEDURE, 0.72), (Category.STAFF, 0.25), (Category.OTHER, 0.03))
TOPICS = {
    Category.PROCEDURE: [("Hồ sơ chậm trả kết quả", "Hồ sơ đã quá ngày hẹn trả nhưng chưa nhận được kết quả."),
                         ("Yêu cầu giấy tờ ngoài quy định",
                          "Bộ phận một cửa yêu cầu nộp thêm bản sao không có trong thủ tục."),
                         ("Thành phần hồ sơ chưa rõ", "Đề nghị niêm yết rõ thành phần hồ sơ và mẫu tờ khai.")],
    Category.STAFF: [("Thái độ tiếp dân chưa đúng mực", "Cán bộ tiếp nhận trả lời thiếu nhã nhặn."),
                     ("Hướng dẫn nhiều lần chưa đủ", "Đã đi lại ba lần, mỗi lần được hướng dẫn bổ sung khác nhau.")],
    Category.OTHER: [("Đề nghị mở thêm quầy", "Buổi sáng thứ Hai phải chờ rất lâu, đề nghị mở thêm quầy.")],
}


@dataclass
class FeedbackCounts:
    ratings: int = 0
    petitions: int = 0


class FeedbackSimulator:
    def __init__(self, seed: int, until: datetime):
        self.rng = random.Random(seed * 7919 + 5)
        self.until = until
        self.cal = province_calendar()
        self.counts = FeedbackCounts()
        self.officers: dict[int, dict] = {}
        for o in Officer.objects.filter(role__in=[Role.RECEPTION, Role.PROCESSING, Role.HEAD]):
            self.officers.setdefault(o.unit_id, {})[o.role] = o

    def _later(self, at: datetime, working_days: float) -> datetime:
        return self.cal.add(at, Fraction(working_days).limit_denominator(100), TimeUnit.WORKING_DAYS)

    def rate(self) -> None:
        rng = self.rng
        returned = Dossier.objects.filter(status=Status.RETURNED, returned_at__lte=self.until)
        for d in returned.only("pk", "status", "returned_at", "appointment_at").order_by("code").iterator():
            if rng.random() < RATED_SHARE:
                late = d.appointment_at is not None and d.returned_at > d.appointment_at
                rate_dossier(d, satisfied=rng.random() >= (UNSATISFIED_LATE if late else UNSATISFIED_ON_TIME),
                             at=min(d.returned_at + timedelta(hours=rng.randint(1, 72)), self.until))
                self.counts.ratings += 1

    def petitions(self) -> None:
        rng = self.rng
        units = [u for u in Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("code")
                 if len(self.officers.get(u.pk, {})) == 3]
        prone = set(rng.sample([u.pk for u in units], max(1, int(len(units) * PRONE_UNITS))))
        dossiers = list(Dossier.objects.filter(unit_id__in=prone, received_at__isnull=False)
                        .only("pk", "unit_id", "received_at", "applicant_name", "applicant_phone").order_by("code"))
        count = round(Dossier.objects.count() * PETITION_SHARE)
        by_unit = {u.pk: u for u in units}
        for d in rng.sample(dossiers, min(count, len(dossiers))):
            at = d.received_at + timedelta(days=rng.uniform(1, 20))
            if at <= self.until:
                self._petition(by_unit[d.unit_id], d, at, [u for u in units if u.pk != d.unit_id])

    def _petition(self, unit: Unit, dossier: Dossier, at: datetime, others: list) -> None:
        rng = self.rng
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        title, content = rng.choice(TOPICS[category])
        phone = dossier.applicant_phone or f"09{rng.randint(0, 10**8 - 1):08d}"
        p = submit_petition(unit=unit, dossier=dossier if rng.random() < 0.6 else None, category=category,
                            petitioner_name=dossier.applicant_name, petitioner_phone=phone, title=title,
                            content=content, at=at)
        self.counts.petitions += 1
        self._handle(p, at, others)
        if not p.is_open and rng.random() < RE_RAISED:  # not convinced: raised again
            again = p.closed_at + timedelta(days=rng.uniform(1, 10))
            if again <= self.until:
                submit_petition(unit=p.unit, earlier=p, category=category, petitioner_name=p.petitioner_name,
                                petitioner_phone=phone, title=f"Phản ánh lại: {title}", content=content, at=again)
                self.counts.petitions += 1

    def _step(self, p, action, at, role=Role.PROCESSING, **extra) -> bool:
        if at > self.until:
            return False
        act(p, action, actor=self.officers[p.unit_id][role], at=at, **extra)
        return True

    def _handle(self, p, at: datetime, others: list) -> None:
        rng = self.rng
        if rng.random() < 0.08:  # not a petition the unit may handle
            self._step(p, "reject", self._later(at, rng.choice((0.5, 1, 1, 1.5, 1.5, 3))),
                       note="Không thuộc phạm vi tiếp nhận.")
            return
        if rng.random() < 0.07:
            at = self._later(at, rng.uniform(1, 8))
            if not self._step(p, "transfer", at, note="Chuyển đơn vị có thẩm quyền.", to_unit=rng.choice(others)):
                return
        if rng.random() < 0.1:
            at = self._later(at, rng.uniform(1, 4))
            if not self._step(p, "request_info", at, note="Đề nghị cung cấp thời gian, địa điểm cụ thể."):
                return
            at = self._later(at, rng.uniform(0.5, 3))
            if at > self.until:
                return
            supply_info(p, phone=p.petitioner_phone, note="Đã bổ sung thông tin.", at=at)
        start = p.clock_started_at
        answer_at = self._later(start, rng.uniform(3, 14.5) if rng.random() < 0.86 else rng.uniform(15.5, 25))
        if not self._step(p, "answer", max(answer_at, at + timedelta(minutes=5)),
                          note="Đơn vị đã kiểm tra, chấn chỉnh và hướng dẫn công dân."):
            return
        publish_at = self._later(p.answered_at, rng.uniform(0.2, 1.8) if rng.random() < 0.95 else 3)
        if not self._step(p, "publish", publish_at, role=Role.HEAD):
            return
        likes, dislikes = rng.randint(0, 4), rng.choice((0, 0, 0, 1, 2, 5))
        for n in range(likes + dislikes):
            react(p, voter=f"demo-{p.pk}-{n}", like=n < likes, at=min(publish_at + timedelta(hours=n + 1), self.until))


def load_feedback(seed: int, until: datetime, progress=print) -> FeedbackCounts:
    simulator = FeedbackSimulator(seed, until)
    with transaction.atomic():
        simulator.rate()
        simulator.petitions()
    progress(f"Đánh giá, phản ánh: {simulator.counts.ratings} đánh giá, {simulator.counts.petitions} phản ánh.")
    return simulator.counts
