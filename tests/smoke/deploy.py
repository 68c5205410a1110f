"""Deploys template.yaml into ministack and walks a member's journey through the emulated HTTP
API, as the web client would: sign-in with Kakao (a loopback stub answering like Kakao's
user/me), sign-up, sign-in, my page, refresh, SMS verification over SNS, then becoming a
lecturer with the verified phone.

Usage: deploy.py <directory holding the `users`, `auth` and `lecturers` bootstrap binaries>.

ministack runs the SAM transform itself; only the function code is swapped for zips built here
(CloudFormation has no local-file code) and the emulator-only parameters are set.
"""

import base64
import http.server
import io
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile

import boto3
from samtranslator.yaml_helper import yaml_parse

ENDPOINT = os.environ["MINISTACK_URL"]
AWS = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
STACK = "connection-smoke"
BUCKET = "connection-deploy"


def code_zip(binary):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(binary, "rb") as f:
            z.writestr(info, f.read())
    return buf.getvalue()


KAKAO_APP_ID = 1234567


class KakaoStub(http.server.BaseHTTPRequestHandler):
    """Kakao's user/me and access_token_info: the token `kakao:<email>` belongs to a verified
    <email> and was issued to our app."""

    def do_GET(self):
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if not token.startswith("kakao:"):
            self.answer(401, {"msg": "this access token does not exist", "code": -401})
            return
        if self.path == "/v1/user/access_token_info":
            self.answer(200, {"id": 3141592653, "expires_in": 7199, "app_id": KAKAO_APP_ID})
            return
        account = {"email_needs_agreement": False, "is_email_valid": True, "is_email_verified": True,
                   "email": token.removeprefix("kakao:")}
        self.answer(200, {"id": 3141592653, "connected_at": "2024-03-02T05:11:09Z", "kakao_account": account})

    def do_POST(self):
        """Toss's confirm: a payment key `toss_…` authenticated for the amount sent approves as a
        card payment, with Basic auth of a secret key and a trailing colon."""
        auth = self.headers.get("Authorization", "").removeprefix("Basic ")
        if not base64.b64decode(auth or "").decode(errors="replace").endswith(":"):
            self.answer(403, {"code": "INCORRECT_BASIC_AUTH_FORMAT", "message": "잘못된 요청입니다."})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if self.path != "/v1/payments/confirm" or not str(body.get("paymentKey", "")).startswith("toss_"):
            self.answer(404, {"code": "NOT_FOUND_PAYMENT_SESSION", "message": "결제 시간이 만료되었습니다."})
            return
        card = {"issuerCode": "61", "acquirerCode": "31", "number": "43301234****123*", "installmentPlanMonths": 0,
                "isInterestFree": False, "approveNo": "00000000", "cardType": "신용", "ownerType": "개인"}
        self.answer(200, {"paymentKey": body["paymentKey"], "orderId": body["orderId"], "status": "DONE",
                          "method": "카드", "totalAmount": body["amount"], "balanceAmount": body["amount"],
                          "approvedAt": "2026-12-03T10:00:00+09:00", "card": card, "virtualAccount": None,
                          "secret": None, "cancels": None})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json;charset=UTF-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def kakao_stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KakaoStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def deploy(binaries, kakao_url):
    s3 = boto3.client("s3", **AWS)
    s3.create_bucket(Bucket=BUCKET)
    with open("template.yaml") as f:
        template = yaml_parse(f.read())
    for name, resource in [("users", "UsersFunction"), ("auth", "AuthFunction"), ("lecturers", "LecturersFunction"),
                           ("lectures", "LecturesFunction"), ("uploads", "UploadsFunction"),
                           ("upload-claims", "UploadClaimsFunction"), ("coupons", "CouponsFunction"),
                           ("passes", "PassesFunction"), ("payments", "PaymentsFunction"),
                           ("jobs", "JobsFunction")]:
        s3.put_object(Bucket=BUCKET, Key=f"{name}.zip", Body=code_zip(os.path.join(binaries, name)))
        function = template["Resources"][resource]
        function.pop("Metadata", None)
        function["Properties"]["CodeUri"] = f"s3://{BUCKET}/{name}.zip"
    cfn = boto3.client("cloudformation", **AWS)
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(template),
        Parameters=[
            {"ParameterKey": "Architecture", "ParameterValue": "x86_64"},
            {"ParameterKey": "KakaoUserUrl", "ParameterValue": f"{kakao_url}/v2/user/me"},
            {"ParameterKey": "KakaoTokenInfoUrl", "ParameterValue": f"{kakao_url}/v1/user/access_token_info"},
            {"ParameterKey": "KakaoAppId", "ParameterValue": str(KAKAO_APP_ID)},
            {"ParameterKey": "GoogleClientId", "ParameterValue": "smoke.apps.googleusercontent.com"},
            {"ParameterKey": "CaBundle", "ParameterValue": "/etc/ssl/certs/ca-certificates.crt"},
            {"ParameterKey": "LecturerPhoneVerification", "ParameterValue": "required"},
            {"ParameterKey": "TossPaymentsUrl", "ParameterValue": f"{kakao_url}/v1/payments"},
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    deadline = time.time() + 120
    while True:
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            break
        if status.endswith("FAILED") or "ROLLBACK" in status or time.time() > deadline:
            events = cfn.describe_stack_events(StackName=STACK)["StackEvents"]
            reasons = [e.get("ResourceStatusReason") for e in events if e.get("ResourceStatusReason")]
            sys.exit(f"stack {status}: {reasons[:5]}")
        time.sleep(0.5)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    # ministack does not apply TimeToLiveSpecification from templates.
    boto3.client("dynamodb", **AWS).update_time_to_live(
        TableName=outputs["TableName"], TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    return outputs


class Client:
    """What the web client keeps between calls: the access token and the refresh cookie."""

    def __init__(self, base):
        self.base, self.token, self.cookie = base, None, None

    def call(self, method, path, body=None, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data:
            request.add_header("content-type", content_type)
        if self.token:
            request.add_header("authorization", f"Bearer {self.token}")
        if self.cookie:
            request.add_header("cookie", f"refreshToken={self.cookie}")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                status, headers, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, raw = e.code, e.headers, e.read()
        for header in headers.get_all("set-cookie") or []:
            if header.startswith("refreshToken="):
                self.cookie = header.split(";")[0].split("=", 1)[1]
        body = json.loads(raw or b"null")
        if status == 200 and isinstance(body, dict) and isinstance(body.get("data"), dict):
            self.token = body["data"].get("userAccessToken", self.token)
        return status, body


def tag_of(bucket, key):
    try:
        tags = boto3.client("s3", **AWS).get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
    except Exception as e:
        return f"unreadable: {e}"
    return next((t["Value"] for t in tags if t["Key"] == "upload"), None)


def wait_for(check, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def key_absent(bucket, key):
    try:
        boto3.client("s3", **AWS).head_object(Bucket=bucket, Key=key)
        return False
    except Exception:
        return True


def sms_code(phone):
    with urllib.request.urlopen(f"{ENDPOINT}/_ministack/sns/sms-messages?phoneNumber=%2B82{phone[1:]}") as r:
        messages = json.loads(r.read())["sms_messages"].get(f"+82{phone[1:]}", [])
    return messages[-1]["Message"].split("[")[2].split("]")[0] if messages else None


def main():
    outputs = deploy(sys.argv[1], kakao_stub())
    client = Client(f"{ENDPOINT}/_aws/execute-api/{outputs['HttpApiId']}")
    sign_up = {
        "provider": "KAKAO", "email": "smoke@example.com", "authEmail": "smoke@kakao.com", "name": "연기",
        "nickname": "smoke-dancer",
        "registerConsents": {"termsOfService": True, "talk": True, "email": False,
                             "marketing": {"marketingChannelTalk": False, "marketingEmail": False}},
    }
    sign_in = "/auth/oauth/signin/KAKAO?access-token=kakao:smoke@kakao.com"
    steps = [
        ("GET / says hello", "GET", "/", None, 200, lambda b: b == {"statusCode": 200, "data": "Hello World!"}),
        ("the nickname is free", "GET", "/users/nicknames/smoke-dancer", None, 200, lambda b: b == {"statusCode": 200}),
        ("sign-up without sign-in is refused", "POST", "/users", sign_up, 400, lambda b: b["error"] == "SignUpNotAllowed"),
        ("a stranger's Kakao token is refused", "GET", "/auth/oauth/signin/KAKAO?access-token=bogus", None, 401,
         lambda b: b["error"] == "oAuthServerError"),
        ("a new member signs in", "GET", sign_in, None, 200,
         lambda b: b == {"statusCode": 201, "data": {"authEmail": "smoke@kakao.com", "signUpType": "KAKAO"}}),
        ("and signs up", "POST", "/users", sign_up, 201, lambda b: b["data"]["createUser"]["nickname"] == "smoke-dancer"),
        ("the nickname is now taken", "GET", "/users/nicknames/smoke-dancer", None, 403, None),
        ("the member signs in", "GET", sign_in, None, 200, lambda b: list(b["data"]) == ["userAccessToken"]),
        ("my page", "GET", "/users/my-pages", None, 200, lambda b: b["data"]["myProfile"]["auth"]["type"] == "KAKAO"),
        ("the access token verifies", "GET", "/auth/token/verify/user-access-token", None, 200, None),
        ("the refresh cookie rotates", "GET", "/auth/token/refresh", None, 200, lambda b: list(b["data"]) == ["userAccessToken"]),
        ("an SMS code goes out over SNS", "POST", "/auth/sms?userPhoneNumber=01055556666", None, 201, None),
    ]
    passed = failed = 0

    def record(name, ok, detail):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")

    answers = {}
    for name, method, path, body, status, check in steps:
        cookie_before = client.cookie
        got_status, got = client.call(method, path, body)
        answers[name] = got
        ok = got_status == status and (check is None or check(got))
        if name == "the refresh cookie rotates":
            ok = ok and client.cookie != cookie_before
        record(name, ok, f"{got_status} {json.dumps(got, ensure_ascii=False)[:160]}")
    boundary = "----connectionSmoke"
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(32)
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{boundary}--\r\n".encode()
    status, got = client.call("POST", "/users/images", form, f"multipart/form-data; boundary={boundary}")
    url = (got.get("data") or {}).get("newUserImage", {}).get("imageUrl", "")
    key = url.split(f"/{outputs['ImageBucketName']}/", 1)[-1].split(".amazonaws.com/", 1)[-1]
    stored = boto3.client("s3", **AWS).get_object(Bucket=outputs["ImageBucketName"], Key=key)["Body"].read() if status == 201 else b""
    record("a profile image lands in S3", status == 201 and stored == png, f"{status} {url}")
    status, got = client.call("PATCH", "/users/my-pages", {"imageUrl": url})
    record("the stored image can become the profile picture", status == 200, f"{status} {got}")
    status, got = client.call("PATCH", "/users/my-pages", {"imageUrl": url.rsplit("/", 1)[0] + "/missing.png"})
    record("an image that is not stored cannot", status == 400 and got.get("error") == "InvalidImageUrl", f"{status} {got}")
    user_id = answers["and signs up"]["data"]["createUser"]["id"]
    status, got = client.call("GET", f"/users/{user_id}")
    card = {"user": {"id": user_id, "nickname": "smoke-dancer", "userProfileImage": {"imageUrl": url}}}
    record("the public card is served", status == 200 and got["data"] == card, f"{status} {got}")
    code = sms_code("01055556666")
    status, got = client.call("GET", f"/auth/sms?userPhoneNumber=01055556666&verificationCode={code}")
    record("the SMS code verifies the phone", code is not None and status == 200, f"{status} {got}")
    lecturer = {
        "profileImageUrls": [url], "nickname": "smoke-t", "email": "teacher@example.com",
        "phoneNumber": "01099998888", "regions": ["서울특별시 마포구"], "genres": ["힙합"],
    }
    status, got = client.call("POST", "/lecturers", lecturer)
    record("an unverified phone cannot make a lecturer", status == 400 and got.get("error") == "PhoneNotVerified",
           f"{status} {got}")
    status, got = client.call("POST", "/lecturers", dict(lecturer, phoneNumber="01055556666"))
    record("the verified member becomes a lecturer", status == 201, f"{status} {got}")
    user_token = client.token
    status, got = client.call("GET", "/auth/token/switch-user-to-lecturer")
    client.token = (got.get("data") or {}).get("lecturerAccessToken")
    record("and switches to lecturer tokens", status == 200 and client.token is not None, f"{status}")
    status, got = client.call("GET", "/lecturers/my-basic-profile")
    profile = (got.get("data") or {}).get("lecturerBasicProfile") or {}
    record("the lecturer reads their card", status == 200 and profile.get("nickname") == "smoke-t", f"{status} {got}")
    lecture = {
        "regions": ["서울특별시 마포구"], "lectureType": "dance", "lectureMethod": "원데이", "isGroup": True,
        "startDate": "2030-01-01", "endDate": "2030-01-31", "genres": ["힙합"], "images": [url],
        "title": "연기 수업", "curriculum": "<p>c</p>", "duration": 60, "difficultyLevel": "하",
        "reservationDeadline": 24, "price": 10000, "maxCapacity": 8,
        "schedules": ["2030-01-02T10:00:00.000Z", "2030-01-09T10:00:00.000Z"],
    }
    lecturer_token = client.token
    status, got = client.call("POST", "/lectures", lecture)
    lecture_id = ((got.get("data") or {}).get("newLecture") or {}).get("id")
    record("the lecturer opens a class", status == 201 and lecture_id is not None, f"{status} {got}")
    client.token = None
    status, got = client.call("GET", f"/lectures/{lecture_id}/schedules")
    sessions = (got.get("data") or {}).get("schedules") or []
    record("guests see its sessions and seats",
           status == 200 and [s["maxCapacity"] for s in sessions] == [8, 8], f"{status} {got}")
    status, got = client.call("GET", "/popular-lectures")
    cards = (got.get("data") or {}).get("lectures") or []
    record("and the class among the popular ones",
           status == 200 and [c["id"] for c in cards] == [lecture_id], f"{status} {got}")
    status, got = client.call("GET", "/popular-lecturers")
    cards = (got.get("data") or {}).get("lecturers") or []
    record("guests see the lecturer among the popular ones",
           status == 200 and [c["nickname"] for c in cards] == ["smoke-t"], f"{status} {got}")
    status, got = client.call("GET", f"/lecturers/profile/{profile.get('id')}")
    public = (got.get("data") or {}).get("lecturerProfile") or {}
    record("and their profile with a masked phone", status == 200 and public.get("phoneNumber") == "010-****-6666",
           f"{status} {got}")
    status, got = client.call("POST", "/uploads/lectures/image", form, f"multipart/form-data; boundary={boundary}")
    upload = (got.get("data") or {}).get("imageUrl", "")
    record("a guest uploads a class image", status == 201 and "/lectures/" in upload, f"{status} {got}")
    status, got = client.call("DELETE", "/uploads", {"imageUrl": upload})
    gone = key_absent(outputs["ImageBucketName"], upload.split(".amazonaws.com/", 1)[-1])
    record("and deletes it while nothing shows it", status == 200 and gone, f"{status} {got}")
    status, got = client.call("POST", "/uploads/lectures/image", form, f"multipart/form-data; boundary={boundary}")
    cover = (got.get("data") or {}).get("imageUrl", "")
    cover_key = cover.split(".amazonaws.com/", 1)[-1]
    record("an upload is stored as unclaimed", tag_of(outputs["ImageBucketName"], cover_key) == "unclaimed", cover)
    client.token = lecturer_token
    status, got = client.call("PATCH", f"/lectures/{lecture_id}", {"images": [cover]})
    client.token = None
    record("a class shows it", status == 200, f"{status} {got}")
    kept = wait_for(lambda: tag_of(outputs["ImageBucketName"], cover_key) == "claimed")
    record("the stream consumer keeps it from expiring", kept, tag_of(outputs["ImageBucketName"], cover_key))
    status, got = client.call("DELETE", "/uploads", {"imageUrl": cover})
    record("and it can no longer be deleted", status == 403 and got.get("error") == "ImageNotDeletable", f"{status} {got}")
    status, got = client.call("DELETE", "/uploads", {"imageUrl": url})
    record("an image in use cannot be deleted", status in (400, 403), f"{status} {got}")
    client.token = lecturer_token
    coupon = {"title": "비밀 할인", "startAt": "2026-01-01T00:00:00.000Z", "endAt": "2031-01-01T00:00:00.000Z",
              "percentage": "10", "maxDiscountPrice": 3000, "isPrivate": True, "isStackable": False,
              "lectureIds": [lecture_id]}
    status, got = client.call("POST", "/coupons/lecture", coupon)
    coupon_id = ((got.get("data") or {}).get("coupon") or {}).get("id")
    record("the lecturer issues a private coupon", status == 201 and coupon_id is not None, f"{status} {got}")
    status, got = client.call("GET", f"/coupons/private/{coupon_id}")
    code = (got.get("data") or {}).get("privateCouponCode")
    record("and gets its code, signed with the key from Secrets Manager", status == 200 and bool(code), f"{status} {got}")
    pass_form = {"title": "4회권", "lectureIds": [lecture_id], "availableMonths": "2", "maxUsageCount": "4", "price": "36000"}
    status, got = client.call("POST", "/passes/lecture", pass_form)
    record("and sells a pass", status == 201, f"{status} {got}")
    client.token = user_token
    status, got = client.call("POST", f"/coupons/private/{code}/user")
    record("a member claims the coupon with the code", status == 201, f"{status} {got}")
    status, got = client.call("POST", f"/coupons/private/{code}x/user")
    record("an altered code names no coupon", status == 404 and got.get("error") == "CouponNotFound", f"{status} {got}")
    status, got = client.call("GET", "/coupons/user?take=5&couponStatusOption=AVAILABLE&filterOption=LATEST")
    held = (got.get("data") or {}).get("couponList") or []
    record("and holds it", status == 200 and [c["lectureCouponId"] for c in held] == [coupon_id], f"{status} {got}")
    client.token = None
    status, got = client.call("GET", f"/passes/lectures/{lecture_id}")
    passes = (got.get("data") or {}).get("passList") or []
    record("guests see the pass on the class page", status == 200 and [p["price"] for p in passes] == [36000],
           f"{status} {got}")
    client.token = user_token
    order = {"lectureId": str(lecture_id), "orderName": "연기 수업", "orderId": "smoke_order_1",
             "lectureSchedule": {"lectureScheduleId": sessions[0]["id"], "participants": 2}, "originalPrice": 20000,
             "finalPrice": 20000, "representative": "연기", "phoneNumber": "01055556666", "couponId": None,
             "stackableCouponId": None}
    status, got = client.call("POST", "/payments/toss/lecture", order)
    pending = (got.get("data") or {}).get("pendingPaymentInfo") or {}
    record("the member orders two seats", status == 201 and pending.get("value") == 20000, f"{status} {got}")
    confirm = {"orderId": "smoke_order_1", "paymentKey": "toss_smoke_1", "amount": "20000"}
    status, got = client.call("PATCH", "/payments/toss/confirm", confirm)
    record("and pays through Toss with the key from Secrets Manager", status == 200, f"{status} {got}")
    status, got = client.call("GET", "/payments/smoke_order_1")
    paid = (got.get("data") or {}).get("paymentResult") or {}
    record("the order is paid and the seats booked",
           status == 200 and paid.get("paymentStatus") == {"name": "DONE"} and paid["reservation"]["isEnabled"],
           f"{status} {got}")
    print(f"smoke: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
