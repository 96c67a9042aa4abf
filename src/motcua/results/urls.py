from django.urls import path

from motcua.results import views

app_name = "results"
urlpatterns = [
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("xac-thuc/", views.verify_upload, name="verify_upload_vi"),
    path("xac-thuc/<str:code>/", views.verify, name="verify_vi"),
    path("tra-cuu/ket-qua/", views.applicant_download, name="applicant_download"),
    path("tra-cuu/ban-dien-tu-ket-qua-giay/", views.applicant_copy, name="applicant_copy"),
    path("mot-cua/ho-so/<str:code>/ket-qua.pdf", views.officer_download, name="officer_download"),
    path("mot-cua/ho-so/<str:code>/du-thao.pdf", views.officer_draft, name="officer_draft"),
    path("mot-cua/chung-thuc/<str:code>/", views.certify, name="certify"),
    path("mot-cua/so-chung-thuc/", views.register, name="register"),
]
