"""The online submission's components form, with the files kept from a refused try (`staging`)."""
from __future__ import annotations

from motcua.dossiers.files import FileRejected
from motcua.dossiers.forms import ComponentsForm
from motcua.portal import staging


class OnlineComponentsForm(ComponentsForm):
    """`ComponentsForm` where a component left empty takes the file staged for it by the previous
    try, unless the citizen untick "giữ" (`keep_<id>`); a newly chosen file replaces it."""

    def __init__(self, *args, staged: dict[int, staging.StagedFile] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staged = staged or {}

    def kept(self, component_id: int) -> staging.StagedFile | None:
        staged = self.staged.get(component_id)
        if staged is None or (self.is_bound and not self.data.get(f"keep_{component_id}")):
            return None
        return staged

    def clean(self):
        for c in self.components:
            name = f"file_{c.pk}"
            if not self.cleaned_data.get(name) and (kept := self.kept(c.pk)) is not None:
                self.cleaned_data[name] = kept.upload()
        return super().clean()

    def component_fields(self):
        """(component, file field, reuse field, the file kept from the previous try or None)."""
        return [(*fields, self.staged.get(fields[0].pk)) for fields in super().component_fields()]

    def to_stage(self) -> dict[int, staging.StagedFile]:
        """The files to keep for the next try: each new upload the site accepts, else the one kept."""
        files = {}
        for c in self.components:
            upload = self.files.get(f"file_{c.pk}") if self.files else None
            if upload:
                try:
                    files[c.pk] = staging.stage(upload)
                except FileRejected as exc:
                    self.add_error(f"file_{c.pk}", exc.message)
            elif (kept := self.kept(c.pk)) is not None:
                files[c.pk] = kept
        return files
