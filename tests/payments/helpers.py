from motcua.payments.gateways.vnpay import VnpayGateway
from motcua.payments.services import start_online_payment


def start(dossier):
    return start_online_payment(dossier, return_url="http://testserver/thanh-toan/ket-qua/",
                                client_ip="10.0.0.1", pay_url="https://gw.test/pay")


def ipn_params(payment, *, amount_vnd=None, code="00", status=None, txn_no="14012345"):
    """What the gateway would send about `payment`, signed with the configured secret."""
    amount = payment.amount_vnd if amount_vnd is None else amount_vnd
    gw = VnpayGateway.from_settings()
    return gw.signed({
        "vnp_TmnCode": gw.tmn_code, "vnp_Amount": str(amount * 100), "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20260601100000", "vnp_ResponseCode": code,
        "vnp_TransactionNo": txn_no, "vnp_TransactionStatus": status or ("00" if code == "00" else "02"),
        "vnp_TxnRef": payment.txn_ref,
    })


def pay_in_simulator(dossier, gateway_name="vnpay", outcome="pay"):
    """Start an online payment and let the simulator play the payer's `outcome` and its IPN."""
    from urllib.parse import parse_qsl, urlsplit

    from motcua.payments import simulator
    from motcua.payments.gateways import gateway
    from motcua.payments.services import handle_ipn, start_online_payment

    payment, url = start_online_payment(dossier, return_url="http://testserver/thanh-toan/ket-qua/",
                                        pay_url="https://gw.test/pay", gateway_name=gateway_name)
    adapter = gateway(gateway_name)
    signed, notify = simulator.decide(adapter, dict(parse_qsl(urlsplit(url).query)), outcome)
    if notify:
        handle_ipn(signed, gateway_name=gateway_name)
    payment.refresh_from_db()
    return payment
