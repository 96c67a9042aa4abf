from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("tra-cuu/danh-gia/", views.rate, name="rate"),
    path("phan-anh/", views.published, name="published"),
    path("phan-anh/gui/", views.submit, name="submit"),
    path("phan-anh/tra-cuu/", views.track, name="track"),
    path("phan-anh/tra-cuu/bo-sung/", views.supply, name="supply"),
    path("phan-anh/<str:code>/binh-chon/", views.vote, name="vote"),
    path("mot-cua/phan-anh/", views.queue, name="queue"),
    path("mot-cua/phan-anh/<str:code>/", views.detail, name="detail"),
    path("mot-cua/phan-anh/<str:code>/<str:action>/", views.step, name="step"),
]
