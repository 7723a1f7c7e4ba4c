namespace Portal.Tests.Core.Signing.TestData;

/// <summary>
/// Requests signed by independent signers, typed in as raw HTTP: STS-SPEC §5.8 (botocore 1.43.11), the requests
/// captured from real clients in /work/shared/recipes/aws-clients (aws-cli, boto3, AWS SDK for JavaScript v3,
/// AWS SDK for .NET, curl with a botocore-presigned URL, aws eks get-token, a Vault-style login), and a few
/// awslabs/aws-c-auth v4 suite vectors for canonicalisation edge cases.
/// </summary>
internal static class SigV4Vectors
{
    public const string ExampleAccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string ExampleTemporaryAccessKeyId = "ASIAIOSFODNN7EXAMPLE";
    public const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string ExampleSessionToken = "FQoGZXIvYXdzEXAMPLETOKEN==";
    public const string ExampleTime = "20260115T120000Z";

    public const string CapturedAccessKeyId = "AKIAFAKEFAKEFAKE0001";
    public const string CapturedSecret = "fakeSecretKeyFakeSecretKeyFakeSecret0001";

    public const string SuiteAccessKeyId = "AKIDEXAMPLE";
    public const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SuiteTime = "20150830T123600Z";
    public const string SuiteService = "service";

    /// <summary>STS-SPEC §5.8 (a): header auth, POST GetCallerIdentity to http://localhost:5000/.</summary>
    public const string SpecHeaderAuth = """
        POST / HTTP/1.1
        Content-Type: application/x-www-form-urlencoded; charset=utf-8
        Host: localhost:5000
        X-Amz-Date: 20260115T120000Z
        Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260115/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=741bf97cc32cfb65a3d2f0cdbcdd533322ab54291e735febacc4e2fd8258bb57

        Action=GetCallerIdentity&Version=2011-06-15
        """;

    /// <summary>STS-SPEC §5.8 (a): the canonical request botocore computed.</summary>
    public const string SpecHeaderAuthCanonicalRequest = """
        POST
        /

        content-type:application/x-www-form-urlencoded; charset=utf-8
        host:localhost:5000
        x-amz-date:20260115T120000Z

        content-type;host;x-amz-date
        ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843
        """;

    /// <summary>STS-SPEC §5.8 (a): the string to sign.</summary>
    public const string SpecHeaderAuthStringToSign = """
        AWS4-HMAC-SHA256
        20260115T120000Z
        20260115/us-east-1/sts/aws4_request
        84143d41e710e1d52171b8bb94dc0c9556aeb50cf882bd540d993f0584130e76
        """;

    /// <summary>STS-SPEC §5.8 (b): the same request with temporary credentials.</summary>
    public const string SpecTemporaryCredentials = """
        POST / HTTP/1.1
        Content-Type: application/x-www-form-urlencoded; charset=utf-8
        Host: localhost:5000
        X-Amz-Date: 20260115T120000Z
        X-Amz-Security-Token: FQoGZXIvYXdzEXAMPLETOKEN==
        Authorization: AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20260115/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=7b5d86fa6d4ef2c479a5ca8b6e6999674a65f37d072dd9ed2cafd5f025ea8083

        Action=GetCallerIdentity&Version=2011-06-15
        """;

    /// <summary>STS-SPEC §5.8 (c): presigned GET, 60 s, extra signed header x-k8s-aws-id.</summary>
    public const string SpecPresignedK8s = """
        GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260115%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260115T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=065e223fae37aa16e23984fe7242914c99005e9841dd69db8aea0f2596d264d4 HTTP/1.1
        Host: sts.us-east-1.amazonaws.com
        x-k8s-aws-id: my-cluster

        """;

    /// <summary>STS-SPEC §5.8 (c): its canonical request.</summary>
    public const string SpecPresignedK8sCanonicalRequest = """
        GET
        /
        Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260115%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260115T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id
        host:sts.us-east-1.amazonaws.com
        x-k8s-aws-id:my-cluster

        host;x-k8s-aws-id
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """;

    /// <summary>Requests captured from real clients (key <see cref="CapturedAccessKeyId"/>), with their signing time.</summary>
    public static TheoryData<string, string, string> Captured => new()
    {
        {
            "aws_cli_2_9_19_awsQuery_GetCallerIdentity",
            "20261126T123318Z",
            """
            POST / HTTP/1.1
            Host: 127.0.0.1:18443
            Accept-Encoding: identity
            Content-Type: application/x-www-form-urlencoded; charset=utf-8
            User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v657 source/x86_64.debian.12 prompt/off command/sts.get-caller-identity
            X-Amz-Date: 20261126T123318Z
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=4bf1ea6f7d3f0489e940b8b9dd8c4c62b911fa1df9bc4a387db1caa9bb280427
            Content-Length: 43

            Action=GetCallerIdentity&Version=2011-06-15
            """
        },
        {
            "aws_cli_2_9_19_awsQuery_AssumeRole",
            "20261126T123318Z",
            """
            POST / HTTP/1.1
            Host: 127.0.0.1:18443
            Accept-Encoding: identity
            Content-Type: application/x-www-form-urlencoded; charset=utf-8
            User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v657 source/x86_64.debian.12 prompt/off command/sts.assume-role
            X-Amz-Date: 20261126T123318Z
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=959dfa4c29b76fe3909912bc7f2d7912ee4e7c946eadeb1db0b063b40c3042cd
            Content-Length: 111

            Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=s1
            """
        },
        {
            "Boto3_1_26_2_awsQuery_AssumeRole",
            "20261126T123620Z",
            """
            POST / HTTP/1.1
            Accept-Encoding: identity
            Content-Type: application/x-www-form-urlencoded; charset=utf-8
            User-Agent: Boto3/1.26.27 Python/3.11.2 Linux/6.18.44-fc-v657 awscrt/1.0.0.dev0 Botocore/1.29.27
            host: 127.0.0.1:18443
            X-Amz-Date: 20261126T123620Z
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=7ed893520a01f648f3b2499b0b8c4f864acf15204d6f9607ec1d51a0b0dd7e2b
            amz-sdk-invocation-id: 2b34e815-f0c9-4f21-a063-49412c21b866
            amz-sdk-request: attempt=1
            Content-Length: 134

            Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=boto1&DurationSeconds=900
            """
        },
        {
            "aws_sdk_js_3_1173_awsQuery_AssumeRole",
            "20261126T123403Z",
            """
            POST / HTTP/1.1
            content-type: application/x-www-form-urlencoded
            content-length: 132
            x-amz-user-agent: aws-sdk-js/3.1173.0
            user-agent: aws-sdk-js/3.1173.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/sts#3.1173.0 m/N,E,e
            host: 127.0.0.1:18443
            amz-sdk-invocation-id: e25a3426-ba24-41d4-b301-6bfbaa75d46d
            amz-sdk-request: attempt=1; max=3
            x-amz-date: 20261126T123403Z
            x-amz-content-sha256: a76b67ce820d4edd49b726daa4a11f92da02a57b97a7c21b9bc5c3a1e775977f
            authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=85a22cc49806d94638b39c3a443eb0eee7c63dca21a57965c96fec895f933b09
            Connection: keep-alive

            Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=js1&DurationSeconds=900
            """
        },
        {
            "aws_sdk_js_3_998_awsQuery_AssumeRole",
            "20261126T123403Z",
            """
            POST / HTTP/1.1
            content-type: application/x-www-form-urlencoded
            content-length: 114
            x-amz-user-agent: aws-sdk-js/3.998.3
            user-agent: aws-sdk-js/3.998.3 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/sts#3.998.3 m/N,E,e
            host: 127.0.0.1:18443
            amz-sdk-invocation-id: fa370e57-7ee3-4cfc-af63-cd1c0392ff80
            amz-sdk-request: attempt=1; max=3
            x-amz-date: 20261126T123403Z
            x-amz-content-sha256: 4759339e386c1e0cc0b73a1203b6a61d7f8687ca9defb931c6f2f0d5ebfeaa02
            authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=3f29b01bbb451bbf60f9c34e87e8917e91540e187a3e745b7c09e005f0b11a62
            Connection: keep-alive

            Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=chain
            """
        },
        {
            "aws_sdk_dotnet_coreclr_4_0_10_awsQuery_AssumeRole",
            "20261126T123431Z",
            """
            POST / HTTP/1.1
            amz-sdk-invocation-id: 0e52c386-7b52-4723-a1e1-d848a7ab794f
            amz-sdk-request: attempt=1; max=3
            Host: 127.0.0.1:18443
            X-Amz-Date: 20261126T123431Z
            X-Amz-Content-SHA256: 32c5cc751f5688cbf753d8510b50d075bda02d0cd5451cf9537cade400aa286b
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=e98db65d9a84f0e71b0b6972357d34908979bd7e0baba6b90ea8a7dce618d1a1
            User-Agent: aws-sdk-dotnet-coreclr/4.0.101.10 ua/2.1 os/linux#6.18.44.657 md/ARCH#X64 lang/.NET_Core#10.0.12 md/aws-sdk-dotnet-core#4.0.102.19 api/STS#4.0.101.10 md/ClientAsync cfg/init-coll#0 m/b,P,e,N,E
            Content-Length: 136
            Content-Type: application/x-www-form-urlencoded; charset=utf-8

            Action=AssumeRole&DurationSeconds=900&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=dotnet1&Version=2011-06-15
            """
        },
        {
            "aws_sdk_dotnet_coreclr_4_0_10_awsQuery_GetCallerIdentity",
            "20261126T123430Z",
            """
            POST / HTTP/1.1
            amz-sdk-invocation-id: 7d5faa6a-f286-4d3a-88bb-73cdc88249b4
            amz-sdk-request: attempt=1; max=3
            Host: 127.0.0.1:18443
            X-Amz-Date: 20261126T123430Z
            X-Amz-Content-SHA256: ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=4eea1a09474f33d51425bbeb0fd507358e497abe73510ea203ddea75353e26bc
            User-Agent: aws-sdk-dotnet-coreclr/4.0.101.10 ua/2.1 os/linux#6.18.44.657 md/ARCH#X64 lang/.NET_Core#10.0.12 md/aws-sdk-dotnet-core#4.0.102.19 api/STS#4.0.101.10 md/ClientAsync cfg/init-coll#0 m/b,P,e,N,E
            Content-Length: 43
            Content-Type: application/x-www-form-urlencoded; charset=utf-8

            Action=GetCallerIdentity&Version=2011-06-15
            """
        },
        {
            "curl_7_88_1_awsQuery_GetCallerIdentity",
            "20261126T123620Z",
            """
            GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAFAKEFAKEFAKE0001%2F20261126%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261126T123620Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900&X-Amz-Signature=1204f7c29fadbfa1c34414006da9deacb3e086d5e6793627d273627d45652b74 HTTP/1.1
            Host: 127.0.0.1:18443
            User-Agent: curl/7.88.1
            Accept: */*


            """
        },
        {
            "aws_sdk_js_3_1173_awsJson1_0_AssumeRole",
            "20261126T123516Z",
            """
            POST / HTTP/1.1
            content-type: application/x-amz-json-1.0
            x-amz-target: AWSSecurityTokenServiceV20110615.AssumeRole
            content-length: 75
            x-amz-user-agent: aws-sdk-js/3.1173.0
            user-agent: aws-sdk-js/3.1173.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/sts#3.1173.0 m/N,E,e
            host: 127.0.0.1:18443
            amz-sdk-invocation-id: 41a6ab5f-c031-4318-a962-38bd126ed1af
            amz-sdk-request: attempt=1; max=1
            x-amz-date: 20261126T123516Z
            x-amz-content-sha256: 654b3e214a52f86cc7c33d38f2c54233e3d3bd0986070c583529d9097d230a0c
            authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent, Signature=ffac864c843d0a3f84af96dba057dfd60e4039a65ec789d96616c334bd3873a5
            Connection: keep-alive

            {"RoleArn":"arn:aws:iam::123456789012:role/demo","RoleSessionName":"proto"}
            """
        },
        {
            "aws_cli_1_45_1_awsQuery_GetCallerIdentity",
            "20261126T123308Z",
            """
            POST / HTTP/1.1
            Host: 127.0.0.1:18443
            Accept-Encoding: identity
            Content-Type: application/x-www-form-urlencoded; charset=utf-8
            User-Agent: aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/b,Z,g,D,N cfg/retry-mode#legacy botocore/1.43.11
            X-Amz-Date: 20261126T123308Z
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ee00255ae8c41f78078d959bc92c3ad8df1d90c30367a9a256ebb8fdec9b2b2c
            amz-sdk-invocation-id: 5656ab10-789c-4e72-aa5d-08cf9ed68260
            amz-sdk-request: attempt=1
            Content-Length: 43

            Action=GetCallerIdentity&Version=2011-06-15
            """
        },
        {
            "aws_cli_2_9_19_eks_get_token",
            "20261126T123634Z",
            """
            GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAFAKEFAKEFAKE0001%2F20261126%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261126T123634Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=8db7396a8b03ff1d19ec1fc465fd253c8b6100ea58b31f3be87d262807b1e882 HTTP/1.1
            Host: 127.0.0.1:18443
            x-k8s-aws-id: demo-cluster
            """
        },
        {
            "boto3_1_26_k8s_presigned_url",
            "20261126T123620Z",
            """
            GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAFAKEFAKEFAKE0001%2F20261126%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261126T123620Z&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Expires=60&X-Amz-Signature=8aab56ea456d585471755c287a0d53c5420b474e13dd62ad3c4295e4a0fb1459 HTTP/1.1
            Host: 127.0.0.1:18443
            x-k8s-aws-id: demo-cluster
            """
        },
        {
            "boto3_1_26_vault_iam_login",
            "20261126T123620Z",
            """
            POST / HTTP/1.1
            Host: 127.0.0.1:18443
            Content-Type: application/x-www-form-urlencoded; charset=utf-8
            X-Vault-AWS-IAM-Server-ID: vault.example.com
            X-Amz-Date: 20261126T123620Z
            Authorization: AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0001/20261126/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-vault-aws-iam-server-id, Signature=6d6c6e7dc2425fbe6833c6696cad9c4077a58f953e237acf187dec6154aafcdc

            Action=GetCallerIdentity&Version=2011-06-15
            """
        },
    };

    /// <summary>awslabs/aws-c-auth v4 suite (header-signed-request.txt), service "service", key <see cref="SuiteAccessKeyId"/>.</summary>
    public static TheoryData<string, string> Suite => new()
    {
        {
            "get-header-value-trim",
            """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            My-Header1: value1
            My-Header2: "a   b   c"
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-slashes-normalized",
            """
            GET //example// HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-space-normalized",
            """
            GET /example space/ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-utf8",
            """
            GET /ሴ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-header-key-duplicate",
            """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            My-Header1:value2
            My-Header1:value2
            My-Header1:value1
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-vanilla-query-order-key-case",
            """
            GET /?Param2=value2&Param1=value1 HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-vanilla-empty-query-key",
            """
            GET /?Param1=value1 HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb
            X-Amz-Date:20150830T123600Z

            """
        },
        {
            "get-slash-dot-slash-normalized",
            """
            GET /./ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
            X-Amz-Date:20150830T123600Z

            """
        },
    };
}
