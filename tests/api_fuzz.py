"""Runs schemathesis against the local stack: every operation of /openapi.json with generated
parameters and bodies, as a guest, as a signed-in member (bearer token and refresh cookie) and
as a lecturer.
Fails on any 5xx and on any answer that does not conform to the document.

Usage: api_fuzz.py <connection-local binary> <schemathesis `st` executable>
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    if data:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read()), r.headers.get_all("set-cookie") or []


def main():
    binary, st = sys.argv[1], sys.argv[2]
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, PORT=str(port), CONNECTION_DATA_DIR=data, RUST_LOG="warn")
        server = subprocess.Popen([binary], env=env)
        try:
            for _ in range(100):
                try:
                    call(f"{api}/")
                    break
                except OSError:
                    time.sleep(0.1)
            call(f"{api}/auth/oauth/signin/KAKAO?access-token=sandbox:fuzz@kakao.com")
            call(f"{api}/users", {
                "provider": "KAKAO", "email": "fuzz@example.com", "authEmail": "fuzz@kakao.com", "name": "퍼즈",
                "nickname": "fuzz", "registerConsents": {"termsOfService": True, "talk": True, "email": False,
                "marketing": {"marketingChannelTalk": False, "marketingEmail": False}}})
            session, cookies = call(f"{api}/auth/oauth/signin/KAKAO?access-token=sandbox:fuzz@kakao.com")
            token = session["data"]["userAccessToken"]
            cookie = next(c.split(";")[0] for c in cookies if c.startswith("refreshToken="))
            call(f"{api}/lecturers", {
                "profileImageUrls": [], "nickname": "fuzz-t", "email": "fuzz@example.com",
                "phoneNumber": "01012345678", "regions": ["온라인"], "genres": ["힙합"]}, token)
            lecturer = call(f"{api}/_local/tokens/lecturers/1")[0]["data"]["lecturerAccessToken"]
            checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
            base = [st, "run", f"{api}/openapi.json", "--checks", checks, "--max-examples", "30", "--seed", "1"]
            failed = 0
            for who, headers in [
                ("guest", []),
                ("member", ["-H", f"Authorization: Bearer {token}", "-H", f"Cookie: {cookie}"]),
                ("lecturer", ["-H", f"Authorization: Bearer {lecturer}"]),
            ]:
                print(f"== schemathesis as a {who}", flush=True)
                failed |= subprocess.run(base + headers).returncode
            sys.exit(failed)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
