"""The law behind the one-stop desk, in one place: each form (per version of the form set), each
action of the transition table and each deadline rule, with the provision it follows.

The next change of law is a change of this data (a new form version, a new citation), not of the
code that prints or checks. `docs/legal-basis.md` is the same table for people; a test keeps the two
in step.

Sources read (through the project's search tool):
- Circular 03/2025/TT-VPCP (15/9/2025), its own preamble: it guides the forms, the dossier code and
  the sector/field codes set by points b, c and h of Art. 35(1) of Decree 118/2025/NĐ-CP; its
  Annex I lists Mẫu số 01–07 (titles below; the list from a secondary page, thuviennhadat.vn). The
  annex's own field list was not found: the fields follow the Circular 01/2018/TT-VPCP forms,
  which the 2025 forms continue (see `slips`).
- Circular 01/2018/TT-VPCP Art. 19 (dossier code) and Art. 20 (sector/field code), quoted by
  secondary pages (khcn.cinet.vn, seongay.com).
- Decision 20/2020/QĐ-TTg Art. 4(1) (the agencies' electronic identifier), quoted by secondary pages
  (ictvietnam.vn, dientungaynay.vn).
Where an article number could not be read, the citation says so ("article not verified").
"""
from dataclasses import dataclass
from datetime import date

from motcua.dossiers.transitions import ACTION_LABELS, Action, Status

TT01_2018 = "TT01/2018"
TT03_2025 = "TT03/2025"
CURRENT_FORM_VERSION = TT03_2025
# The day each form set took over: a slip issued before 15/9/2025 was issued on the 2018 set.
FORM_VERSION_SINCE = {TT01_2018: date(2019, 1, 6), TT03_2025: date(2025, 9, 15)}


@dataclass(frozen=True)
class FormSpec:
    """One form of one version of the set: its number in that circular, its title, where it is."""

    number: str
    title: str
    basis: str


# Keyed by the form's number in the current set (01–07), which is also its key in URLs and code.
FORMS: dict[str, dict[str, FormSpec]] = {
    TT03_2025: {
        "01": FormSpec("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "02": FormSpec("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "03": FormSpec("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "04": FormSpec("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
                       "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "05": FormSpec("05", "Thông báo dừng giải quyết hồ sơ", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "06": FormSpec("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
        "07": FormSpec("07", "Sổ theo dõi hồ sơ", "Phụ lục I, Thông tư 03/2025/TT-VPCP"),
    },
    TT01_2018: {  # six forms: no stop notice; the control sheet was 05 and the register 06
        "01": FormSpec("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Thông tư 01/2018/TT-VPCP"),
        "02": FormSpec("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Thông tư 01/2018/TT-VPCP"),
        "03": FormSpec("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Thông tư 01/2018/TT-VPCP"),
        "04": FormSpec("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Thông tư 01/2018/TT-VPCP"),
        "06": FormSpec("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Thông tư 01/2018/TT-VPCP"),
        "07": FormSpec("06", "Sổ theo dõi hồ sơ", "Thông tư 01/2018/TT-VPCP"),
    },
}

# The form an action issues to the applicant (the moment the circular ties it to).
FORM_OF_ACTION = {Action.RECEIVE: "01", Action.REQUEST_SUPPLEMENT: "02", Action.REFUSE: "03", Action.STOP: "05"}

DECREE_118 = "Nghị định 118/2025/NĐ-CP"
ARTICLE_NOT_VERIFIED = "điều khoản chưa đối chiếu được với văn bản gốc"

# Each action of the transition table (`transitions.TABLE`) and what it follows.
TRANSITIONS: dict[Action, str] = {
    Action.SUBMIT_ONLINE: f"{DECREE_118} (nộp trực tuyến qua Cổng Dịch vụ công; {ARTICLE_NOT_VERIFIED}); "
                          "Nghị định 45/2020/NĐ-CP (thủ tục hành chính trên môi trường điện tử)",
    Action.RECEIVE: f"{DECREE_118} (tiếp nhận hồ sơ; {ARTICLE_NOT_VERIFIED}); Mẫu số 01, Phụ lục I, "
                    "Thông tư 03/2025/TT-VPCP",
    Action.REFUSE: f"{DECREE_118} (từ chối chỉ khi tiếp nhận; {ARTICLE_NOT_VERIFIED}); Mẫu số 03, Phụ lục I, "
                   "Thông tư 03/2025/TT-VPCP",
    Action.START_PROCESSING: f"{DECREE_118} (chuyển hồ sơ đến cơ quan giải quyết; {ARTICLE_NOT_VERIFIED}); "
                             "Mẫu số 06 ghi bước giao nhận",
    Action.FORWARD: "Mẫu số 06, Phụ lục I, Thông tư 03/2025/TT-VPCP (mỗi lần giao nhận hồ sơ được ghi)",
    Action.TRANSFER: f"{DECREE_118} (một cửa liên thông; {ARTICLE_NOT_VERIFIED}); Mẫu số 06",
    Action.SEND_TO_RESOLVER: f"{DECREE_118} (tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh; "
                             f"{ARTICLE_NOT_VERIFIED}); Mẫu số 06 ghi bước giao nhận",
    Action.REQUEST_SUPPLEMENT: f"{DECREE_118} (yêu cầu bổ sung một lần; {ARTICLE_NOT_VERIFIED}); Mẫu số 02, "
                               "Phụ lục I, Thông tư 03/2025/TT-VPCP",
    Action.RECEIVE_SUPPLEMENT: f"{DECREE_118} (thời hạn tính lại từ khi nhận đủ hồ sơ; {ARTICLE_NOT_VERIFIED})",
    Action.REQUEST_PAYMENT: "Nghị định 45/2020/NĐ-CP (thanh toán trực tuyến phí, lệ phí; "
                            f"{ARTICLE_NOT_VERIFIED}); trạng thái 6 của Cổng Dịch vụ công quốc gia",
    Action.CONFIRM_PAYMENT: f"Nghị định 45/2020/NĐ-CP ({ARTICLE_NOT_VERIFIED})",
    Action.WITHDRAW: f"{DECREE_118} (rút hồ sơ theo đề nghị của người nộp; {ARTICLE_NOT_VERIFIED})",
    Action.STOP: f"{DECREE_118} (dừng giải quyết sau tiếp nhận; {ARTICLE_NOT_VERIFIED}); Mẫu số 05, Phụ lục I, "
                 "Thông tư 03/2025/TT-VPCP",
    Action.COMPLETE: f"{DECREE_118} ({ARTICLE_NOT_VERIFIED}); Mẫu số 06",
    Action.SIGN_RESULT: f"{DECREE_118} (bản điện tử của mọi kết quả; {ARTICLE_NOT_VERIFIED}); "
                        "Nghị định 30/2020/NĐ-CP (thể thức văn bản điện tử)",
    Action.RETURN_RESULT: f"{DECREE_118} (trả kết quả tại nơi người nộp chọn; {ARTICLE_NOT_VERIFIED}); Mẫu số 07",
}

# The national status codes 1–10 (one-stop.md) the dossier moves through and report to the portal.
NATIONAL_STATUS_CODES = ("mã trạng thái hồ sơ trên Cổng Dịch vụ công quốc gia (Thông tư 18/2019/TT-BTTTT, "
                         f"cấu trúc gói tin kết nối; {ARTICLE_NOT_VERIFIED})")
STATUSES: dict[Status, str] = {
    Status.SUBMITTED_ONLINE: f"{NATIONAL_STATUS_CODES}; Nghị định 45/2020/NĐ-CP",
    Status.RECEIVED: f"{NATIONAL_STATUS_CODES}; Mẫu số 01",
    Status.REFUSED: f"{NATIONAL_STATUS_CODES}; Mẫu số 03 (chỉ khi tiếp nhận)",
    Status.IN_PROCESS: f"{NATIONAL_STATUS_CODES}; Mẫu số 06",
    Status.SUPPLEMENT_REQUESTED: f"{NATIONAL_STATUS_CODES}; Mẫu số 02",
    Status.PAYMENT_REQUESTED: f"{NATIONAL_STATUS_CODES}; Nghị định 45/2020/NĐ-CP",
    Status.WITHDRAWN: NATIONAL_STATUS_CODES,
    Status.STOPPED: f"{NATIONAL_STATUS_CODES}; Mẫu số 05 (sau tiếp nhận)",
    Status.PROCESSED: NATIONAL_STATUS_CODES,
    Status.RETURNED: f"{NATIONAL_STATUS_CODES}; Mẫu số 07",
}

# The deadline rules of `workdays` and `dossiers.deadlines`, and the identifiers of `codes`.
RULES: dict[str, str] = {
    "working_calendar": "Bộ luật Lao động 2019, Điều 111 khoản 3 và Điều 112 (ngày nghỉ lễ, Tết, nghỉ bù); "
                        "thông báo hoán đổi ngày làm việc của Chính phủ (mỗi ngày ghi văn bản nguồn)",
    "appointment": f"{DECREE_118} (ngày hẹn trả ghi trên Mẫu số 01; {ARTICLE_NOT_VERIFIED})",
    "supplement_pause": f"{DECREE_118} (yêu cầu bổ sung một lần, thời hạn tính lại; {ARTICLE_NOT_VERIFIED})",
    "delay_apology": "Mẫu số 04, Phụ lục I, Thông tư 03/2025/TT-VPCP (xin lỗi, đề nghị gia hạn, hẹn lại); "
                     f"{DECREE_118} ({ARTICLE_NOT_VERIFIED})",
    "online_after_hours": f"Nghị định 45/2020/NĐ-CP (hồ sơ nộp ngoài giờ tính từ giờ làm việc kế tiếp; "
                          f"{ARTICLE_NOT_VERIFIED})",
    "on_time_index": "Quyết định 766/QĐ-TTg ngày 23/6/2022 (Bộ chỉ số phục vụ người dân, doanh nghiệp)",
    "dossier_code": "Thông tư 03/2025/TT-VPCP (mã số hồ sơ, theo điểm c khoản 1 Điều 35 Nghị định 118/2025/NĐ-CP; "
                    "cấu trúc đọc theo Điều 19 Thông tư 01/2018/TT-VPCP mà nó tiếp nối)",
    "unit_identifier": "Quyết định 20/2020/QĐ-TTg, Điều 4 khoản 1 (mã định danh điện tử của cơ quan, tổ chức)",
    "field_code": "Thông tư 03/2025/TT-VPCP (mã ngành, lĩnh vực, theo điểm h khoản 1 Điều 35 Nghị định "
                  "118/2025/NĐ-CP; cấu trúc MX1X2-LV đọc theo Điều 20 Thông tư 01/2018/TT-VPCP)",
}


def form(number: str, version: str = CURRENT_FORM_VERSION) -> FormSpec:
    """The form `number` (its number in the current set) as it was in `version`; the current set's
    form when that version had none (the stop notice did not exist before 2025)."""
    return FORMS.get(version, {}).get(number) or FORMS[CURRENT_FORM_VERSION][number]


def version_on(day: date) -> str:
    """The form set in force on `day`."""
    return max((v for v, since in FORM_VERSION_SINCE.items() if since <= day),
               key=FORM_VERSION_SINCE.__getitem__, default=TT01_2018)


def footer(spec: FormSpec) -> str:
    """The citation printed at the foot of a slip."""
    return f"Mẫu số {spec.number} ({spec.basis}) · {spec.title}"


def _row(*cells: str) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def markdown() -> str:
    """`docs/legal-basis.md`: these tables for people (`motcua legal-basis` writes it)."""
    lines = ["# Legal basis", "",
             "Generated from `src/motcua/dossiers/legal_basis.py` by `motcua legal-basis > docs/legal-basis.md`;",
             "a test keeps the two equal. Change the law there, not here.", "",
             f"Cells saying \"{ARTICLE_NOT_VERIFIED}\" name a document whose article could not be read",
             "through the project's search tool (only secondary pages, or nothing): check them against the",
             "official text.", "",
             "## Forms", "",
             _row("form (current number)", "form set", "number in its set", "title", "basis"),
             _row("---", "---", "---", "---", "---")]
    for version in (CURRENT_FORM_VERSION, *(v for v in FORMS if v != CURRENT_FORM_VERSION)):
        for key, spec in FORMS[version].items():
            lines.append(_row(key, f"{version} (từ {FORM_VERSION_SINCE[version]:%d/%m/%Y})", spec.number, spec.title,
                              spec.basis))
    lines += ["", "## Transitions", "", _row("action", "label", "form issued", "basis"), _row("---", "---", "---", "---")]
    lines += [_row(a.value, ACTION_LABELS[a], FORM_OF_ACTION.get(a, ""), basis) for a, basis in TRANSITIONS.items()]
    lines += ["", "## Statuses", "", _row("code", "status", "basis"), _row("---", "---", "---")]
    lines += [_row(str(int(st)), st.name.lower(), basis) for st, basis in STATUSES.items()]
    lines += ["", "## Deadline rules and codes", "", _row("rule", "basis"), _row("---", "---")]
    lines += [_row(rule, basis) for rule, basis in RULES.items()]
    return "\n".join(lines) + "\n"
