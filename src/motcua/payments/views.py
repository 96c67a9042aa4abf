"""Pages and endpoints of online payment; thin: parse, call `payments.services`, render.

/thanh-toan/bat-dau/          POST ma, so: the applicant starts paying from the tracking page
/thanh-toan/ket-qua/          the gateway sends the payer's browser back here (display only)
/thanh-toan/vnpay/ipn/        the gateway's server-to-server notification (JSON answer)
/thanh-toan/gia-lap/          the local gateway simulator (MOTCUA_PAYMENT_SIMULATOR)
/thanh-toan/tien-mat/<code>/  POST amount_vnd: cash at the desk (reception officer)
/thanh-toan/bien-lai/<ref>/   the electronic receipt (PDF)
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.dossiers import selectors
from motcua.payments import conf, receipts, services
from motcua.payments import simulator as gateway_simulator
from motcua.payments.gateways.vnpay import VnpayGateway
from motcua.payments.models import Payment, PaymentStatus
from motcua.portal.views import lookup_url


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


def _pay_url(request) -> str | None:
    if conf.vnpay_pay_url():
        return None  # the configured gateway
    if conf.simulator_enabled():
        return request.build_absolute_uri(reverse("payments:simulator"))
    return None


@require_POST
def start(request):
    dossier = selectors.applicant_dossier(request.POST.get("ma", ""), request.POST.get("so", ""))
    if dossier is None:
        raise Http404
    try:
        _, url = services.start_online_payment(
            dossier, return_url=request.build_absolute_uri(reverse("payments:return")),
            client_ip=_client_ip(request), pay_url=_pay_url(request))
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect(lookup_url(dossier.code, dossier.applicant_id))
    return redirect(url)


def payment_return(request):
    valid, payment = services.record_return(request.GET.dict(), remote_addr=_client_ip(request))
    dossier = payment.obligation.dossier if payment else None
    return render(request, "payments/return.html", {
        "valid": valid, "payment": payment, "dossier": dossier,
        "response_code": request.GET.get("vnp_ResponseCode", ""),
        "back": lookup_url(dossier.code, dossier.applicant_id) if dossier else reverse("portal:lookup"),
    }, status=200 if valid else 400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ipn(request):
    params = request.GET.dict() if request.method == "GET" else request.POST.dict()
    return JsonResponse(services.handle_ipn(params, remote_addr=_client_ip(request)))


# -- the local gateway simulator -----------------------------------------------------------------

def _simulator_only():
    if not conf.simulator_enabled():
        raise Http404


@require_http_methods(["GET", "POST"])
def simulator(request):
    """Plays the gateway: checks the merchant's signed request, lets the tester pay, cancel, fail
    or pay with a lost notification ("late"), sends the IPN in-process (except when late), then
    sends the browser back to vnp_ReturnUrl."""
    _simulator_only()
    params = (request.GET if request.method == "GET" else request.POST).dict()
    outcome = params.pop("outcome", "")
    params.pop("csrfmiddlewaretoken", None)
    gateway = VnpayGateway.from_settings()
    if not gateway.verify(params):
        return HttpResponseBadRequest("Sai chữ ký yêu cầu thanh toán (vnp_SecureHash).")
    if request.method == "GET":
        return render(request, "payments/simulator.html", {
            "params": params, "amount_vnd": int(params.get("vnp_Amount", "0")) // 100,
            "order_info": params.get("vnp_OrderInfo", ""), "txn_ref": params.get("vnp_TxnRef", "")})
    if outcome not in gateway_simulator.OUTCOMES:
        return HttpResponseBadRequest("Thao tác không hợp lệ.")
    signed, notify = gateway_simulator.decide(gateway, params, outcome)
    if notify:
        services.handle_ipn(signed, remote_addr="127.0.0.1")  # the server-to-server notification, in-process
    back = params["vnp_ReturnUrl"]
    return redirect(f"{back}{'&' if '?' in back else '?'}{urlencode(signed)}")


# -- cash at the desk and the receipt ------------------------------------------------------------

@login_required
@require_POST
def cash(request, code):
    """The reception officer records a cash payment; the dossier moves on when it waited for it."""
    dossier = selectors.dossier_for_officer(request.user, code)
    if dossier is None:
        raise Http404
    try:
        amount = int(request.POST.get("amount_vnd", "").replace(".", "").replace(",", "").strip())
        payment = services.pay_cash(dossier, request.user, amount_vnd=amount)
    except ValueError:
        messages.error(request, "Số tiền không hợp lệ.")
    except services.PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu {payment.amount_vnd:,} đồng; biên lai số {payment.receipt_number}.")
        return redirect("payments:receipt", txn_ref=payment.txn_ref)
    return redirect("dossiers:detail", code=code)


@require_safe
def receipt(request, txn_ref):
    """The receipt PDF: for an officer who may see the dossier, or for whoever gives the applicant's
    identification number (`so`), like the tracking page."""
    payment = Payment.objects.select_related("obligation__dossier").filter(
        txn_ref=txn_ref, status=PaymentStatus.PAID).first()
    if payment is None:
        raise Http404
    dossier = payment.obligation.dossier
    officer_ok = request.user.is_authenticated and selectors.dossier_for_officer(request.user, dossier.code)
    if not officer_ok and request.GET.get("so", "").strip() != dossier.applicant_id:
        raise Http404
    response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Bien-lai-{receipts.receipt_number(payment)}.pdf"'
    return response
