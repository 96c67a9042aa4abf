from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("bat-dau/", views.start, name="start"),
    path("ket-qua/", views.payment_return, name="return"),
    path("vnpay/ipn/", views.ipn, name="ipn"),
    path("gia-lap/", views.simulator, name="simulator"),
    path("tien-mat/<str:code>/", views.cash, name="cash"),
    path("bien-lai/<str:txn_ref>/", views.receipt, name="receipt"),
]
