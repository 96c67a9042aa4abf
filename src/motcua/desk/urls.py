from django.urls import path

from motcua.desk import views

# The namespace stays "dossiers": links across the project (index drill-downs, payments, results,
# notices) name these pages "dossiers:detail" and so on, and the URLs are unchanged.
app_name = "dossiers"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.component_file, name="component_file"),
    path("ho-so/<str:code>/bao-cao-cham/", views.delay_report, name="delay_report"),
    path("ho-so/<str:code>/<str:action>/", views.act, name="act"),
]
