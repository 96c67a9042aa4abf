"""The demo province's organisation: Bắc Ninh's real communes, its departments, its officers."""
from django.contrib.auth.hashers import make_password

from motcua.units.models import Officer, Role, Unit, UnitKind
from motcua.units.services import add_departments, assign_identifiers, load_province_tree, provincial_office_group

DEMO_PASSWORD = "motcua2026"
# A level-1 code in the shape of Decision 20/2020/QĐ-TTg for the demo province (a stand-in: the
# province's real code is in the Decision's annex and entered in the admin).
DEMO_LEVEL1_IDENTIFIER = "H24"

# The departments (sở, ban, ngành) with one-stop desks after the 2025 reorganisation.
DEPARTMENTS = [
    ("VPUB", "Văn phòng UBND tỉnh"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp"),
    ("SCT", "Sở Công Thương"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SNGV", "Sở Ngoại vụ"),
    ("STP", "Sở Tư pháp"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SYT", "Sở Y tế"),
    ("TTT", "Thanh tra tỉnh"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
]

ROLE_SUFFIX = {Role.RECEPTION: "tiepnhan", Role.PROCESSING: "xuly", Role.HEAD: "lanhdao"}
ROLE_TITLE = {Role.RECEPTION: "Cán bộ tiếp nhận", Role.PROCESSING: "Cán bộ xử lý", Role.HEAD: "Lãnh đạo"}


def login_prefix(unit: Unit) -> str:
    return unit.code.lower() if unit.kind == UnitKind.DEPARTMENT else f"x{unit.code}"


def load_organisation(province_code: int) -> Unit:
    province = load_province_tree(province_code)
    add_departments(province, DEPARTMENTS)
    assign_identifiers(province, DEMO_LEVEL1_IDENTIFIER)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per officer would take minutes
    office = Unit.objects.get(code="VPUB")
    officers = [
        Officer(username="admin", role=Role.ADMIN, unit=office, is_staff=True, is_superuser=True,
                first_name="Quản trị", last_name="hệ thống", password=password),
        Officer(username="vanphong", role=Role.PROVINCIAL_OFFICE, unit=office, is_staff=True,
                first_name="Văn phòng", last_name="UBND tỉnh", password=password),
    ]
    for unit in Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("code"):
        for role, suffix in ROLE_SUFFIX.items():
            officers.append(Officer(username=f"{login_prefix(unit)}.{suffix}", role=role, unit=unit,
                                    first_name=ROLE_TITLE[role], last_name=unit.name,
                                    password=password))
    Officer.objects.bulk_create(officers, ignore_conflicts=True)
    Officer.objects.get(username="vanphong").groups.add(provincial_office_group())
    return province
