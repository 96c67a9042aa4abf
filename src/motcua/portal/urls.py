from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("dich-vu-cong/", views.procedures, name="procedures"),
    path("dich-vu-cong/<str:code>/", views.procedure, name="procedure"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/bo-sung/", views.supplement, name="supplement"),
    path("tra-cuu/rut-ho-so/", views.withdraw, name="withdraw"),
]
