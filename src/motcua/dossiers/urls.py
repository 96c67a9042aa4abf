from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.component_file, name="component_file"),
    path("ho-so/<str:code>/bao-cao-cham/", views.delay_report, name="delay_report"),
    path("ho-so/<str:code>/<str:action>/", views.act, name="act"),
]
