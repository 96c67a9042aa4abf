"""Pages and endpoints of online payment; thin: parse, call `payments.services`, render.

/thanh-toan/bat-dau/          POST t (or ma, so): the applicant starts paying from the tracking page
/thanh-toan/ket-qua/          the VNPAY-style gateway sends the payer's browser back here (display only)
/thanh-toan/vnpay/ipn/        its server-to-server notification (JSON answer)
/thanh-toan/quoc-gia/ket-qua/ the national payment platform's return (display only)
/thanh-toan/quoc-gia/ipn/     its notification (POST, signed JSON body; JSON answer)
/thanh-toan/gia-lap/          the local gateway simulator (MOTCUA_PAYMENT_SIMULATOR), VNPAY side
/thanh-toan/gia-lap/quoc-gia/ the simulator, national platform side
/thanh-toan/tien-mat/<code>/  POST amount_vnd: cash at the desk (reception officer)
/thanh-toan/bien-lai/<ref>/   the electronic receipt (PDF); t: the tracking page's token
/thanh-toan/doi-soat/         ngay, don_vi, xlsx: the day's reconciliation (head of unit, provincial office)
/thanh-toan/hoan-tien/<ref>/  POST reason, ngay: refund a payment (head of unit)
"""
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.common.formatting import number
from motcua.common.spreadsheets import XLSX_CONTENT_TYPE
from motcua.dossiers import selectors
from motcua.limits import tracking
from motcua.payments import conf, receipts, reconciliation, services
from motcua.payments import selectors as payment_selectors
from motcua.payments import simulator as gateway_simulator
from motcua.payments.gateways import gateway
from motcua.payments.models import Payment, PaymentStatus
from motcua.units import policy


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


# per gateway: (return page, simulator page)
PAGES = {"vnpay": ("payments:return", "payments:simulator"),
         "national": ("payments:national_return", "payments:national_simulator")}


def _pay_url(request, gateway_name: str) -> str | None:
    if gateway(gateway_name).pay_url:
        return None  # the configured gateway
    if conf.simulator_enabled():
        return request.build_absolute_uri(reverse(PAGES[gateway_name][1]))
    return None


@require_POST
def start(request):
    dossier = tracking.tracked_dossier(request, request.POST)
    if dossier is None:
        raise Http404
    gateway_name = payment_selectors.gateway_for(dossier)
    try:
        _, url = services.start_online_payment(
            dossier, return_url=request.build_absolute_uri(reverse(PAGES[gateway_name][0])),
            client_ip=_client_ip(request), pay_url=_pay_url(request, gateway_name), gateway_name=gateway_name)
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect(tracking.url_for(dossier))
    return redirect(url)


def payment_return(request, gateway_name="vnpay"):
    valid, payment = services.record_return(request.GET.dict(), remote_addr=_client_ip(request),
                                            gateway_name=gateway_name)
    dossier = payment.obligation.dossier if payment else None
    return render(request, "payments/return.html", {
        "valid": valid, "payment": payment, "dossier": dossier,
        "back": tracking.url_for(dossier) if dossier else reverse("portal:lookup"),
    }, status=200 if valid else 400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ipn(request):
    params = request.GET.dict() if request.method == "GET" else request.POST.dict()
    return JsonResponse(services.handle_ipn(params, remote_addr=_client_ip(request)))


@csrf_exempt
@require_POST
def national_ipn(request):
    """The national platform's notification: a signed JSON object in the body."""
    try:
        message = json.loads(request.body.decode())
    except (UnicodeDecodeError, ValueError):
        message = None
    if not isinstance(message, dict):
        return JsonResponse(gateway("national").answer(("99", "Dữ liệu không phải JSON hợp lệ")), status=400)
    return JsonResponse(services.handle_ipn(message, remote_addr=_client_ip(request), gateway_name="national"))


# -- the local gateway simulator -----------------------------------------------------------------

def _simulator_only():
    if not conf.simulator_enabled():
        raise Http404


@require_http_methods(["GET", "POST"])
def simulator(request, gateway_name="vnpay"):
    """Plays the gateway: checks the merchant's signed request, lets the tester pay, cancel, fail
    or pay with a lost notification ("late"), sends the IPN in-process (except when late), then
    sends the browser back to the return address."""
    _simulator_only()
    params = (request.GET if request.method == "GET" else request.POST).dict()
    outcome = params.pop("outcome", "")
    params.pop("csrfmiddlewaretoken", None)
    adapter = gateway(gateway_name)
    if not adapter.verify(params):
        return HttpResponseBadRequest("Sai chữ ký yêu cầu thanh toán.")
    order = gateway_simulator.order(adapter, params)
    if request.method == "GET":
        return render(request, "payments/simulator.html", {
            "params": params, "amount_vnd": order.amount_vnd, "order_info": order.order_info,
            "txn_ref": order.txn_ref, "gateway": adapter.name})
    if outcome not in gateway_simulator.OUTCOMES:
        return HttpResponseBadRequest("Thao tác không hợp lệ.")
    signed, notify = gateway_simulator.decide(adapter, params, outcome)
    if notify:  # the server-to-server notification, in-process
        services.handle_ipn(signed, remote_addr="127.0.0.1", gateway_name=adapter.name)
    back = order.return_url
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
        messages.error(request, gettext("Số tiền không hợp lệ."))
    except services.PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Đã thu %(amount)s đồng; biên lai số %(receipt)s.")
                         % {"amount": number(payment.amount_vnd, vietnamese=True), "receipt": payment.receipt_number})
        return redirect("payments:receipt", txn_ref=payment.txn_ref)
    return redirect("dossiers:detail", code=code)


@require_safe
def receipt(request, txn_ref):
    """The receipt PDF: for an officer who may see the dossier, or for the citizen from the tracking
    page (its token, `limits.tracking`)."""
    payment = Payment.objects.select_related("obligation__dossier").filter(
        txn_ref=txn_ref, status=PaymentStatus.PAID).first()
    if payment is None:
        raise Http404
    dossier = payment.obligation.dossier
    officer_ok = request.user.is_authenticated and selectors.dossier_for_officer(request.user, dossier.code)
    if not officer_ok and getattr(tracking.tracked_dossier(request, request.GET), "pk", None) != dossier.pk:
        raise Http404
    response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Bien-lai-{receipts.receipt_number(payment)}.pdf"'
    return response


# -- reconciliation and refunds (heads of unit, provincial office) ------------------------------

def _reconciliation_url(day) -> str:
    return f"{reverse('payments:reconciliation')}?{urlencode({'ngay': day.isoformat()})}"


@login_required
@require_safe
def reconciliation_page(request):
    """The day's payments of the officer's unit (every unit, or one, for the provincial office),
    per channel; the same as an Excel workbook with `xlsx=1`."""
    if not policy.can_read_reconciliation(request.user):
        raise Http404
    try:
        day = reconciliation.parse_day(request.GET.get("ngay") or timezone.localdate().isoformat())
    except reconciliation.ReconciliationError as exc:
        messages.error(request, exc.message)
        day = timezone.localdate()
    unit_id = request.GET.get("don_vi", "")
    report = reconciliation.reconcile(day, user=request.user, unit_id=int(unit_id) if unit_id.isdigit() else None)
    if request.GET.get("xlsx"):
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        reconciliation.write_xlsx(report, response)
        response["Content-Disposition"] = f'attachment; filename="{reconciliation.file_name(report)}"'
        return response
    return render(request, "payments/reconciliation.html", {
        "report": report, "day": day, "unit_id": unit_id, "can_refund": policy.can_refund(request.user),
        "refundable": services.REFUNDABLE,
        "totals": {key: report.total(key) for key in ("paid_vnd", "refunded_vnd", "net_vnd", "mismatch_count",
                                                     "unsettled_count")}})


@login_required
@require_POST
def refund(request, txn_ref):
    payment = reconciliation.visible_payments(request.user).filter(txn_ref=txn_ref).first()
    if payment is None:
        raise Http404
    try:
        services.refund(payment, request.user, reason=request.POST.get("reason", ""))
    except services.PaymentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Đã hoàn %(amount)s đồng của giao dịch %(txn)s.")
                         % {"amount": number(payment.amount_vnd, vietnamese=True), "txn": payment.txn_ref})
    try:
        day = reconciliation.parse_day(request.POST.get("ngay", ""))
    except reconciliation.ReconciliationError:
        day = timezone.localdate()
    return redirect(_reconciliation_url(day))
