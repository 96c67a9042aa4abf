"""The demo catalogue: a few real procedures and plausible ones built from real subject matter.

Codes of the real ones are those of the National Database (e.g. 2.000815, certified copies).
The others are synthetic (codes 9.xxxxxx, so they never collide with a real national code).
"""
import random
from datetime import date
from decimal import Decimal

from motcua.catalogue.models import (
    Component, Fee, LegalBasis, ProcessStep, Procedure, ProcedureMethod,
)
from motcua.units.models import Role, Unit

# (code, name, field, time limit, unit, fee VND, result is a document, online level)
REAL_COMMUNE_PROCEDURES = [
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
     "của Việt Nam cấp hoặc chứng nhận", "Chứng thực", 1, "in_day", 2000, True, "full"),
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1, "in_day", 0, True, "full"),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 1, "in_day", 0, True, "partial"),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 1, "in_day", 0, True, "full"),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", 1, "in_day", 10000, True, "partial"),
]

# Subject matter per department: (field, objects of the procedures).
DEPARTMENT_SUBJECTS = {
    "VPUB": ("Kiểm soát thủ tục hành chính", ["văn bản trả lời phản ánh, kiến nghị"]),
    "BQLKCN": ("Đầu tư tại khu công nghiệp", ["giấy chứng nhận đăng ký đầu tư", "giấy phép lao động cho người nước ngoài",
                                              "giấy phép xây dựng trong khu công nghiệp"]),
    "SCT": ("Công thương", ["giấy phép bán lẻ rượu", "giấy chứng nhận đủ điều kiện kinh doanh xăng dầu",
                            "giấy phép hoạt động điện lực", "giấy chứng nhận an toàn thực phẩm"]),
    "SGDDT": ("Giáo dục và Đào tạo", ["bản sao văn bằng, chứng chỉ", "giấy phép hoạt động giáo dục",
                                      "quyết định cho phép thành lập trường"]),
    "SNGV": ("Ngoại vụ", ["văn bản cho phép tổ chức hội nghị quốc tế"]),
    "STP": ("Tư pháp", ["phiếu lý lịch tư pháp", "thẻ công chứng viên", "giấy đăng ký hoạt động văn phòng công chứng",
                        "giấy chứng nhận đăng ký hoạt động của tổ chức hành nghề luật sư"]),
    "SVHTTDL": ("Văn hóa, Thể thao và Du lịch", ["giấy phép kinh doanh lữ hành nội địa", "thẻ hướng dẫn viên du lịch",
                                                  "giấy phép tổ chức lễ hội"]),
    "SYT": ("Y tế", ["chứng chỉ hành nghề khám bệnh, chữa bệnh", "giấy phép hoạt động khám bệnh, chữa bệnh",
                     "chứng chỉ hành nghề dược", "giấy chứng nhận đủ điều kiện kinh doanh dược"]),
    "TTT": ("Thanh tra", ["văn bản giải quyết khiếu nại"]),
    "SKHCN": ("Khoa học và Công nghệ", ["giấy chứng nhận doanh nghiệp khoa học và công nghệ",
                                        "giấy phép tiến hành công việc bức xạ"]),
    "SNV": ("Nội vụ, Lao động", ["giấy phép lao động cho người nước ngoài", "giấy phép dịch vụ việc làm",
                                 "trợ cấp thất nghiệp", "giấy phép thành lập hội"]),
    "STC": ("Tài chính, Đăng ký kinh doanh", ["giấy chứng nhận đăng ký doanh nghiệp", "giấy chứng nhận đăng ký hợp tác xã",
                                              "giấy chứng nhận đăng ký địa điểm kinh doanh"]),
    "SXD": ("Xây dựng, Giao thông", ["giấy phép xây dựng", "giấy phép lái xe", "chứng chỉ hành nghề hoạt động xây dựng",
                                     "giấy phép liên vận"]),
    "SNNMT": ("Đất đai, Nông nghiệp, Môi trường", ["giấy chứng nhận quyền sử dụng đất", "giấy phép môi trường",
                                                   "giấy phép khai thác nước", "giấy chứng nhận cơ sở an toàn thực phẩm nông sản"]),
    "SDTTG": ("Dân tộc, Tôn giáo", ["văn bản chấp thuận sinh hoạt tôn giáo tập trung"]),
}
COMMUNE_SUBJECTS = [
    ("Hộ tịch", ["trích lục hộ tịch", "xác nhận tình trạng hôn nhân", "đăng ký giám hộ", "đăng ký nhận cha, mẹ, con"]),
    ("Chứng thực", ["chứng thực hợp đồng, giao dịch", "chứng thực di chúc"]),
    ("Đất đai", ["xác nhận nguồn gốc đất", "giấy chứng nhận quyền sử dụng đất lần đầu"]),
    ("Bảo trợ xã hội", ["trợ cấp xã hội hàng tháng", "hỗ trợ chi phí mai táng"]),
    ("Hộ kinh doanh", ["giấy chứng nhận đăng ký hộ kinh doanh"]),
    ("Xây dựng", ["giấy phép xây dựng nhà ở riêng lẻ"]),
]
VERBS = ["Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Cấp đổi", "Thu hồi"]
STEPS = [("Tiếp nhận hồ sơ", 10, Role.RECEPTION), ("Thẩm định", 60, Role.PROCESSING),
         ("Phê duyệt", 20, Role.HEAD), ("Trả kết quả", 10, Role.RECEPTION)]
LEGAL_BASES = [("118/2025/NĐ-CP", "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa", date(2025, 6, 9), date(2025, 7, 1)),
               ("23/2015/NĐ-CP", "Nghị định về cấp bản sao, chứng thực", date(2015, 2, 16), date(2015, 4, 10))]


def _create(rng: random.Random, code, name, field, level, agency, limit, unit, fee, is_document, online):
    p = Procedure.objects.create(
        code=code, name=name, field=field, level=level, agency=agency,
        implementing_agency_text=agency.name if agency else "Ủy ban nhân dân cấp xã",
        time_limit=Decimal(limit), time_unit=unit, subjects=["individual"] if level == "commune" or rng.random() < .5
        else ["organisation"], result_name=name.replace("Cấp lại ", "").replace("Cấp ", ""),
        result_is_document=is_document, online_level=online, status="published")
    methods = ["direct", "postal"] + (["online"] if online != "none" else [])
    ProcedureMethod.objects.bulk_create(ProcedureMethod(procedure=p, method=m, time_limit=p.time_limit,
                                                        time_unit=unit, fee_vnd=fee) for m in methods)
    if fee:
        Fee.objects.create(procedure=p, name="Lệ phí", amount_vnd=fee, per_page=code == "2.000815")
    Component.objects.bulk_create([
        Component(procedure=p, order=1, name="Tờ khai, đơn đề nghị theo mẫu", original_count=1, template_name="Mẫu tờ khai"),
        Component(procedure=p, order=2, name="Bản sao giấy tờ tùy thân", copy_count=1),
        Component(procedure=p, order=3, name="Giấy tờ chứng minh điều kiện", copy_count=1, required=rng.random() < .5),
    ])
    ProcessStep.objects.bulk_create(ProcessStep(procedure=p, order=i, name=n, share_percent=s, role=r)
                                    for i, (n, s, r) in enumerate(STEPS, start=1))
    number, title, issued, effective = LEGAL_BASES[0 if code != "2.000815" else 1]
    LegalBasis.objects.create(procedure=p, document_number=number, title=title, issued_on=issued, effective_on=effective)
    return p


def load_catalogue(seed: int) -> int:
    """Create the demo catalogue once; returns the number of procedures."""
    rng = random.Random(seed)
    serial = iter(range(1, 10**6))
    for code, name, field, limit, unit, fee, is_doc, online in REAL_COMMUNE_PROCEDURES:
        _create(rng, code, name, field, "commune", None, limit, unit, fee, is_doc, online)
    for field, objects in COMMUNE_SUBJECTS:
        for obj in objects:
            for verb in VERBS[: rng.randint(1, 3)]:
                _create(rng, f"9.{next(serial):06d}", f"{verb} {obj}", field, "commune", None,
                        rng.choice([3, 5, 7, 10, 15]), "working_days", rng.choice([0, 0, 15000, 50000]),
                        True, rng.choice(["full", "partial", "partial", "none"]))
    for code, (field, objects) in DEPARTMENT_SUBJECTS.items():
        agency = Unit.objects.get(code=code)
        for obj in objects:
            for verb in VERBS[: rng.randint(3, 6)]:
                _create(rng, f"9.{next(serial):06d}", f"{verb} {obj}", field, "province", agency,
                        rng.choice([5, 7, 10, 15, 20, 30]), "working_days",
                        rng.choice([0, 100000, 200000, 500000, 1000000]), rng.random() < .9,
                        rng.choice(["full", "partial", "partial", "none"]))
    return Procedure.objects.count()
