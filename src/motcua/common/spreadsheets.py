"""Excel workbooks (.xlsx) written with XlsxWriter: every export of the catalogue, the desk, the
payments' reconciliation and the index starts here, so they share their safety and their look."""
from typing import BinaryIO

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook(stream: BinaryIO | str):
    """An XlsxWriter workbook that writes every string as text (never a number, a formula or a link:
    a cell that starts with "=" stays text), and the formats the exports share:
    (workbook, header, text, wrap, date)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    return (workbook,
            workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                                 "border": 1}),
            workbook.add_format({"num_format": "@", "valign": "top"}),
            workbook.add_format({"text_wrap": True, "valign": "top"}),
            workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}))
