from django.contrib import admin

from motcua.feedback.models import Petition, PetitionEvent, Rating
from motcua.readonly_admin import ReadOnlyAdmin


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "satisfied", "rated_at")
    list_filter = ("satisfied",)
    search_fields = ("dossier__code",)


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ("code", "unit", "category", "status", "received_at", "due_at", "missed_at", "likes", "dislikes")
    list_filter = ("status", "category")
    search_fields = ("code", "title", "dossier__code")


@admin.register(PetitionEvent)
class PetitionEventAdmin(ReadOnlyAdmin):
    list_display = ("petition", "action", "from_status", "to_status", "unit", "at", "due_at")
    list_filter = ("action",)
    search_fields = ("petition__code",)
