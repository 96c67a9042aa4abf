from django.urls import path

from motcua.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.findings, name="findings"),
    path("sai-lech.xlsx", views.findings_xlsx, name="findings_xlsx"),
    path("sai-lech/<int:pk>/xu-ly/", views.resolve, name="resolve"),
    path("cong-bo/", views.decisions, name="decisions"),
    path("cong-bo/<int:pk>/<str:action>/", views.decision_action, name="decision_action"),
]
