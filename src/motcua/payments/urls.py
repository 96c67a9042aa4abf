from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("bat-dau/", views.start, name="start"),
    path("ket-qua/", views.payment_return, name="return"),
    path("vnpay/ipn/", views.ipn, name="ipn"),
    path("quoc-gia/ket-qua/", views.payment_return, {"gateway_name": "national"}, name="national_return"),
    path("quoc-gia/ipn/", views.national_ipn, name="national_ipn"),
    path("gia-lap/", views.simulator, name="simulator"),
    path("gia-lap/quoc-gia/", views.simulator, {"gateway_name": "national"}, name="national_simulator"),
    path("tien-mat/<str:code>/", views.cash, name="cash"),
    path("bien-lai/<str:txn_ref>/", views.receipt, name="receipt"),
    path("doi-soat/", views.reconciliation_page, name="reconciliation"),
    path("hoan-tien/<str:txn_ref>/", views.refund, name="refund"),
]
