"""Twelve months of dossiers, each driven through the real transition service as imported history.

Every write goes through the door with `HISTORY` (`dossiers.door.HistoryImport`): the table, the
parameters and the order of time are checked as for any dossier, and every event says it was
imported from the demo. The door's preconditions are not run for history, so a simulated past may
hold what the product itself never writes — a result counted as electronic without a signed file,
a payment without a payment record, a document result returned unsigned (a unit's e-result share
below 100 %) — each marked as imported; and nothing of it is news for an applicant.

Units differ the way real ones do: every unit draws a profile (on-time 70–100 %, electronic
results 40–100 %, online payment 10–90 %…) around the averages the national portal showed for a
real province in August 2026 (tests/data/README.md).
"""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.db import transaction

from motcua.catalogue.models import Procedure
from motcua.dossiers.delays import extension_limit, file_delay_report
from motcua.dossiers.door import HistoryImport
from motcua.dossiers.identifiers import tax_check_digit
from motcua.dossiers.models import ApplicantKind, Channel, PaymentChannel
from motcua.dossiers.services import Applicant, ComponentInput, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor
from motcua.payments.models import FeeObligation
from motcua.units.models import Officer, Role, Unit, UnitKind
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.services import province_calendar

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
GIVEN_NAMES = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy", "Thị Lan",
               "Văn Long", "Thị Mai", "Hữu Nam", "Thị Oanh", "Văn Phúc", "Thanh Tâm", "Thị Yến"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty cổ phần", "Hợp tác xã"]
COMPANY_NAMES = ["Kinh Bắc", "Đông Hồ", "Quan Họ", "Yên Phong", "Tiên Du", "Thuận Thành", "Lục Ngạn", "Việt Yên"]
HISTORY = HistoryImport("demo: tỉnh mẫu, dữ liệu mô phỏng")
# Relative monthly volume: the Tết dip in February, the year-end rush.
# Share of online payments whose fee data came from the one-stop system (a fee obligation): the
# portal's August showed 56 fee procedures integrated against 93 paid online (the Parquet generator
# uses the same share).
INTEGRATED_SHARE = 0.45
MONTH_WEIGHT = {1: 1.1, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0, 10: 1.05, 11: 1.1, 12: 1.2}
# Department volumes relative to a commune's (land and environment dominate, as on the portal).
DEPARTMENT_WEIGHT = {"SNNMT": 12.0, "SNV": 2.0, "SYT": 1.5, "SXD": 1.5, "STC": 1.2, "BQLKCN": 0.6, "SCT": 0.5,
                     "SGDDT": 0.4, "SKHCN": 0.2, "SVHTTDL": 0.15, "STP": 0.1, "VPUB": 0.02, "TTT": 0.02,
                     "SNGV": 0.01, "SDTTG": 0.02}


def _between(rng: random.Random, low: float, high: float, mode: float) -> float:
    return rng.triangular(low, high, mode)


@dataclass
class UnitProfile:
    unit: Unit
    procedures: list
    officers: dict
    weight: float
    on_time: float
    e_result: float
    paid_online: float
    online_channel: float
    digitized: float
    reuse: float
    population_verified: float

    @classmethod
    def draw(cls, rng: random.Random, unit: Unit, procedures: list, officers: dict) -> "UnitProfile":
        weight = DEPARTMENT_WEIGHT.get(unit.code, 1.0) if unit.kind == UnitKind.DEPARTMENT else rng.lognormvariate(0, .45)
        return cls(unit, procedures, officers, weight,
                   on_time=_between(rng, .70, 1.0, .78), e_result=_between(rng, .40, 1.0, .75),
                   paid_online=.90 - .80 * rng.betavariate(1, 7),  # 10–90 %, most units near 80 %
                   online_channel=_between(rng, .15, .80, .45),
                   digitized=_between(rng, .02, .35, .10), reuse=_between(rng, 0, .06, .01),
                   population_verified=_between(rng, .3, 1.0, .8))


@dataclass
class Counts:
    dossiers: int = 0
    events: int = 0
    delay_reports: int = 0


class DossierSimulator:
    def __init__(self, seed: int, until: datetime):
        self.seed = seed
        self.rng = random.Random(seed)  # the units' profiles; each unit's month then draws from its own
        self.obligations: list[FeeObligation] = []
        self.until = until
        self.cal = province_calendar()
        self.counts = Counts()
        self.profiles = self._profiles()

    def _profiles(self) -> list[UnitProfile]:
        commune_procs = list(Procedure.objects.filter(level="commune").prefetch_related("fees"))
        by_agency: dict[int, list] = {}
        for p in Procedure.objects.filter(level="province").prefetch_related("fees"):
            by_agency.setdefault(p.agency_id, []).append(p)
        officers: dict[int, dict] = {}
        for o in Officer.objects.filter(role__in=[Role.RECEPTION, Role.PROCESSING, Role.HEAD]):
            officers.setdefault(o.unit_id, {})[o.role] = o
        profiles = []
        for unit in Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("code"):
            procs = commune_procs if unit.kind == UnitKind.COMMUNE else by_agency.get(unit.pk, [])
            if procs and len(officers.get(unit.pk, {})) == 3:
                profiles.append(UnitProfile.draw(self.rng, unit, procs, officers[unit.pk]))
        return profiles

    def run_month(self, year: int, month: int, per_month: int, *, after: str = "",
                  done=lambda unit_code: None) -> Counts:
        """The month's dossiers, a unit at a time in code order, each unit drawing from its own random
        streams and committing in its own transaction, which `done(unit code)` joins to record the
        progress. So the months load in any order (the running month first, the history later in the
        background), a month cut short resumes `after` the last unit done, and every way of loading
        gives the same dossiers; a web request writing to SQLite meanwhile waits one unit at most."""
        before = Counts(self.counts.dossiers, self.counts.events)
        total_weight = sum(p.weight for p in self.profiles)
        first = datetime(year, month, 1, tzinfo=self.cal.tz)
        last = (first + timedelta(days=32)).replace(day=1)
        days = [d for d in (first.date() + timedelta(n) for n in range((last - first).days)) if self.cal.is_working_day(d)]
        volume = per_month * MONTH_WEIGHT[month]
        codes = [p.unit.code for p in self.profiles]
        for profile in self.profiles[codes.index(after) + 1 if after else 0:]:
            stream = f"{self.seed}:{year}-{month:02d}:{profile.unit.code}"
            self.rng, self.fee_rng = random.Random(stream), random.Random(f"{stream}:fee")
            with transaction.atomic():
                expected = volume * profile.weight / total_weight
                count = int(expected) + (self.rng.random() < expected - int(expected))
                for _ in range(count):
                    self._one(profile, self._reception_time(days, profile))
                FeeObligation.objects.bulk_create(self.obligations)
                self.obligations.clear()
                done(profile.unit.code)
        return Counts(self.counts.dossiers - before.dossiers, self.counts.events - before.events)

    def _reception_time(self, days, profile) -> tuple[str, datetime]:
        day = self.rng.choice(days)
        if self.rng.random() < profile.online_channel:
            at = datetime(day.year, day.month, day.day, tzinfo=self.cal.tz) + timedelta(minutes=self.rng.randint(0, 24 * 60 - 1))
            return Channel.ONLINE, at
        channel = Channel.POSTAL if self.rng.random() < .03 else Channel.DIRECT
        start = self.cal.next_working_instant(datetime(day.year, day.month, day.day, tzinfo=self.cal.tz))
        return channel, self.cal.instant_at(self.cal.position(start) + Fraction(self.rng.randint(0, 95), 100))

    def _applicant(self, procedure) -> Applicant:
        rng = self.rng
        if "organisation" in (procedure.subjects or []):
            body = f"{rng.randint(10**8, 10**9 - 1)}"
            while tax_check_digit(body) > 9:
                body = f"{rng.randint(10**8, 10**9 - 1)}"
            return Applicant(ApplicantKind.ORGANISATION, f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_NAMES)}",
                             body + str(tax_check_digit(body)))
        pid = f"024{rng.choice('0123')}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"
        return Applicant(ApplicantKind.INDIVIDUAL, f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}", pid,
                         phone=f"09{rng.randint(0, 10**8 - 1):08d}")

    def _later(self, at: datetime, working_days: float) -> datetime:
        return self.cal.add(at, Fraction(working_days).limit_denominator(1000), TimeUnit.WORKING_DAYS)

    def _step(self, dossier, action, at, actor=None, role=None, **params) -> bool:
        """Apply the action if its time has come; False once the simulation reaches `until`."""
        if at > self.until:
            return False
        transition(dossier, action, actor=actor, role=role, at=at, history=HISTORY, **params)
        self.counts.events += 1
        return True

    def _one(self, profile: UnitProfile, reception) -> None:
        rng, o = self.rng, profile.officers
        channel, at = reception
        if at > self.until:
            return
        procedure = rng.choice(profile.procedures)
        fee = sum(f.amount_vnd for f in procedure.fees.all())
        online = channel == Channel.ONLINE
        applicant = self._applicant(procedure)
        # Most desks still keep paper: only some dossiers get their components scanned at reception.
        scan = (f"%PDF-1.4 demo scan {applicant.identifier} {at.isoformat()}".encode()
                if rng.random() < profile.digitized else None)
        components = [ComponentInput("Tờ khai, đơn đề nghị theo mẫu", content=scan, original_name="to-khai.pdf",
                                     reused=rng.random() < profile.reuse)]
        common = dict(procedure=procedure, unit=profile.unit, applicant=applicant, channel=channel,
                      fee_total_vnd=fee, population_verified=rng.random() < profile.population_verified,
                      components=components, at=at, history=HISTORY)
        if rng.random() < .012:  # refused at reception, with reasons (Mẫu 03)
            open_dossier(action=Action.REFUSE, actor=o[Role.RECEPTION], reason="Hồ sơ không đúng thẩm quyền", **common)
            self._count_new(1)
            return
        if online:
            d = open_dossier(action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, **common)
            self._count_new(1)
            if not self._step(d, Action.RECEIVE, self.cal.next_working_instant(at) + timedelta(minutes=rng.randint(5, 240)),
                              actor=o[Role.RECEPTION]):
                return
        else:
            d = open_dossier(action=Action.RECEIVE, actor=o[Role.RECEPTION], **common)
            self._count_new(1)
        self._process(profile, d, fee)

    def _count_new(self, events: int) -> None:
        self.counts.dossiers += 1
        self.counts.events += events

    def _process(self, profile: UnitProfile, d, fee: int) -> None:
        rng, o = self.rng, profile.officers
        now = self._later(d.last_event_at, rng.uniform(.01, .1))
        if not self._step(d, Action.START_PROCESSING, now, actor=o[Role.PROCESSING], assignee_id=o[Role.PROCESSING].pk):
            return
        if rng.random() < .01:
            self._step(d, Action.WITHDRAW, self._later(now, rng.uniform(.1, 1)), role=Actor.APPLICANT,
                       reason="Công dân xin rút hồ sơ")
            return
        supplements = 2 if rng.random() < .005 else (1 if rng.random() < .05 else 0)
        for n in range(supplements):
            now = self._later(d.last_event_at, rng.uniform(.1, .5))
            if not self._step(d, Action.REQUEST_SUPPLEMENT, now, actor=o[Role.PROCESSING],
                              reason="Bổ sung giấy tờ chứng minh điều kiện", acknowledge_overdue=n > 0):
                return
            if not self._step(d, Action.RECEIVE_SUPPLEMENT, self._later(now, rng.uniform(.5, 5)), actor=o[Role.RECEPTION]):
                return
        if fee:
            now = self._later(d.last_event_at, .05)
            if not self._step(d, Action.REQUEST_PAYMENT, now, actor=o[Role.PROCESSING]):
                return
            paid_online = rng.random() < profile.paid_online
            channel = rng.choice([PaymentChannel.NATIONAL_PLATFORM, PaymentChannel.PROVINCE_GATEWAY]) if paid_online else PaymentChannel.CASH
            paid_at = self._later(now, rng.uniform(.02, 1))
            if not self._step(d, Action.CONFIRM_PAYMENT, paid_at, role=Actor.SYSTEM if paid_online else None,
                              actor=None if paid_online else o[Role.RECEPTION], payment_channel=channel):
                return
            if paid_online and self.fee_rng.random() < INTEGRATED_SHARE:
                self.obligations.append(FeeObligation(dossier=d, amount_vnd=fee, paid_at=paid_at,
                                                      description=f"Phí, lệ phí hồ sơ {d.code}"))
        if rng.random() < .003:
            self._step(d, Action.STOP, self._later(d.last_event_at, .5), actor=o[Role.HEAD], reason="Dừng xử lý theo quy định")
            return
        self._finish(profile, d)

    def _apologize(self, profile: UnitProfile, d, finish) -> None:
        """A late dossier whose delay was reported in time: the apology slip with a new date."""
        filed = self.cal.instant_at(self.cal.position(d.current_appointment_at) - Fraction(1, 2))
        if filed <= d.last_event_at or filed > self.until:
            return
        file_delay_report(d, profile.officers[Role.HEAD], reason="Hồ sơ cần lấy ý kiến cơ quan liên quan",
                          cause="Chờ văn bản trả lời của cơ quan phối hợp", remedy="Đôn đốc, họp liên ngành",
                          new_appointment_at=min(self._later(finish, .2),  # at most the legal extension
                                                 extension_limit(d.procedure, max(d.current_appointment_at, filed))),
                          now=filed, history=HISTORY)
        self.counts.delay_reports += 1

    def _finish(self, profile: UnitProfile, d) -> None:
        rng, o, cal = self.rng, profile.officers, self.cal
        start, due = cal.position(d.last_event_at), cal.position(d.current_appointment_at)
        if rng.random() < profile.on_time and due > start:
            finish = cal.instant_at(start + (due - start) * Fraction(rng.randint(30, 99), 100))
        else:
            finish = self._later(max(d.current_appointment_at, d.last_event_at), rng.uniform(.1, 6))
            if rng.random() < .025:
                self._apologize(profile, d, finish)
        signed = d.procedure.result_is_document and rng.random() < profile.e_result
        if not self._step(d, Action.COMPLETE, finish, actor=o[Role.HEAD], result_signed=signed,
                          result_paper=True, result_to_personal_store=signed and rng.random() < .3):
            return
        if rng.random() < .93:
            self._step(d, Action.RETURN_RESULT, self._later(finish, rng.uniform(0, 1.5)), actor=o[Role.RECEPTION])
