"""Deploys template.yaml into ministack and calls the users function through the emulated
HTTP API, as a client would. Usage: deploy_users.py <users bootstrap binary>.

ministack runs the SAM transform itself; only the function code is swapped for the zip built
here (CloudFormation has no local-file code) and the emulator-only parameters are set.
"""

import io
import json
import os
import sys
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


def deploy(binary):
    s3 = boto3.client("s3", **AWS)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="users.zip", Body=code_zip(binary))
    with open("template.yaml") as f:
        template = yaml_parse(f.read())
    function = template["Resources"]["UsersFunction"]
    function.pop("Metadata", None)
    function["Properties"]["CodeUri"] = f"s3://{BUCKET}/users.zip"
    cfn = boto3.client("cloudformation", **AWS)
    cfn.create_stack(
        StackName=STACK,
        TemplateBody=json.dumps(template),
        Parameters=[
            {"ParameterKey": "JwtSecret", "ParameterValue": "smoke-test-secret-of-at-least-32-chars"},
            {"ParameterKey": "Architecture", "ParameterValue": "x86_64"},
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


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    outputs = deploy(sys.argv[1])
    base = f"{ENDPOINT}/_aws/execute-api/{outputs['HttpApiId']}"
    sign_up = {
        "provider": "NAVER", "email": "smoke@example.com", "authEmail": "smoke@naver.com", "name": "연기",
        "nickname": "smoke-dancer",
        "registerConsents": {"termsOfService": True, "talk": True, "email": False,
                             "marketing": {"marketingChannelTalk": False, "marketingEmail": False}},
    }
    checks = [
        ("GET /users/nicknames/x is free", ("GET", "/users/nicknames/x", None), 200, {"statusCode": 200}),
        ("GET / says hello", ("GET", "/", None), 200, {"statusCode": 200, "data": "Hello World!"}),
        ("POST /users signs up", ("POST", "/users", sign_up), 201, None),
        ("the nickname is now taken", ("GET", "/users/nicknames/smoke-dancer", None), 403, None),
        ("the public card is served", ("GET", "/users/1", None), 200,
         {"statusCode": 200, "data": {"user": {"id": 1, "nickname": "smoke-dancer", "userProfileImage": None}}}),
        ("my page needs a token", ("GET", "/users/my-pages", None), 401, None),
    ]
    passed = failed = 0
    for name, (method, path, body), status, expected in checks:
        got_status, got = call(base, method, path, body)
        ok = got_status == status and (expected is None or got == expected)
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {got_status} {json.dumps(got, ensure_ascii=False)[:200]}")
    print(f"smoke: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
