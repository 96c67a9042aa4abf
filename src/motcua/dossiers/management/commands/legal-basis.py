from django.core.management.base import BaseCommand

from motcua.dossiers.legal_basis import markdown


class Command(BaseCommand):
    help = "In bảng căn cứ pháp lý (docs/legal-basis.md) từ dossiers/legal_basis.py."

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
