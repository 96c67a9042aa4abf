from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.units.models import Officer, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "identifier", "name", "kind", "division_type", "parent")
    list_filter = ("kind", "division_type")
    search_fields = ("code", "identifier", "name")


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    search_fields = ("username", "first_name", "last_name", "unit__name")
    fieldsets = UserAdmin.fieldsets + ((_("Công tác"), {"fields": ("role", "unit")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Công tác"), {"fields": ("role", "unit")}),)
