"""Drives Debian's boto3 against a local Portal for the end-to-end client tests.

Usage: /usr/bin/python3 driver.py <service> <Operation> [<params json>]
       /usr/bin/python3 driver.py sts presign:GetCallerIdentity
       /usr/bin/python3 driver.py sts raw:<Operation> [<params json>]   (botocore-signed request, no client-side validation)

Credentials come from boto3's default chain (the environment, or AWS_PROFILE with role_arn/source_profile; the
profile's AssumeRole reaches Portal through the AWS_DATA_PATH endpoint rule-set override, RECIPE.md 1.4).
The endpoint comes from PORTAL_ENDPOINT. Prints one JSON object: {"ok": true, "result": ...} or
{"ok": false, "code": ..., "message": ..., "status": ..., "kind": "service"|"client"}.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError, ParamValidationError

VERSIONS = {"sts": "2011-06-15", "iam": "2010-05-08"}


def encode(value):
    # Blobs (CreateVirtualMFADevice's Base32StringSeed) arrive as bytes: print them as the text they carry.
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def emit(obj):
    print(json.dumps(obj, default=encode))


def raw_call(session, service, operation, params, endpoint):
    """Signs a Query request with botocore's SigV4 signer and sends it as is: the server sees exactly what we chose."""
    body = {"Action": operation, "Version": VERSIONS[service]}
    body.update({k: str(v) for k, v in params.items()})
    data = urllib.parse.urlencode(body)
    request = AWSRequest(method="POST", url=endpoint + "/", data=data,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(session.get_credentials().get_frozen_credentials(), service, session.region_name).add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(prepared.url, data=data.encode(), headers=dict(prepared.headers), method="POST")
    try:
        with urllib.request.urlopen(http, timeout=30) as response:
            emit({"ok": True, "result": {"status": response.status, "body": response.read().decode()}})
    except urllib.error.HTTPError as e:
        root = ET.fromstring(e.read())
        code = root.find(".//{*}Code").text
        message = root.find(".//{*}Message").text
        emit({"ok": False, "kind": "service", "code": code, "message": message, "status": e.code})


def main():
    service, operation = sys.argv[1], sys.argv[2]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    endpoint = os.environ["PORTAL_ENDPOINT"]
    session = boto3.Session()
    if operation.startswith("raw:"):
        raw_call(session, service, operation[4:], params, endpoint)
        return
    client = session.client(service, endpoint_url=endpoint)
    try:
        if operation.startswith("presign:"):
            name = botocore.xform_name(operation[len("presign:"):])
            url = client.generate_presigned_url(name, Params=params, ExpiresIn=900, HttpMethod="GET")
            emit({"ok": True, "result": {"Url": url}})
            return
        result = getattr(client, botocore.xform_name(operation))(**params)
        result.pop("ResponseMetadata", None)
        emit({"ok": True, "result": result})
    except ClientError as e:
        error = e.response.get("Error", {})
        emit({"ok": False, "kind": "service", "code": error.get("Code"), "exception": type(e).__name__,
              "message": error.get("Message"), "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")})
    except ParamValidationError as e:
        emit({"ok": False, "kind": "client", "code": "ParamValidation", "message": str(e), "status": None})


if __name__ == "__main__":
    main()
