using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Portal.Core.Signing;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// The AWS Query-protocol door (STS-SPEC §3): <c>POST /</c> with a form body and <c>GET /</c> with <c>Action</c> or
/// <c>X-Amz-Algorithm</c> in the query. Parses, authenticates (SigV4), dispatches on <c>Action</c> and <c>Version</c>,
/// and writes the XML response or the AWS error envelope. Malformed input never yields a 5xx.
/// </summary>
public sealed partial class StsApi
{
    /// <summary>The STS API version.</summary>
    public const string StsVersion = "2011-06-15";

    /// <summary>The IAM API version.</summary>
    public const string IamVersion = "2010-05-08";

    private readonly StsEngine _engine;
    private readonly SigV4Verifier _verifier;
    private readonly AccessKeyRateLimiter _rateLimiter;
    private readonly IamApi _iam;
    private readonly StsApiOptions _options;
    private readonly SigV4VerifierOptions _stsSigning;
    private readonly SigV4VerifierOptions _iamSigning;
    private readonly ILogger<StsApi> _logger;

    /// <summary>Creates the API.</summary>
    public StsApi(StsEngine engine, SigV4Verifier verifier, AccessKeyRateLimiter rateLimiter, IamApi iam, IOptions<StsApiOptions> options, ILogger<StsApi> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _verifier = verifier;
        _rateLimiter = rateLimiter;
        _iam = iam;
        _options = options.Value;
        _stsSigning = new SigV4VerifierOptions { Services = ["sts"], MaxClockSkew = _options.MaxClockSkew };
        _iamSigning = new SigV4VerifierOptions { Services = ["iam"], MaxClockSkew = _options.MaxClockSkew };
        _logger = logger;
    }

    /// <summary>True for requests this API answers: any <c>POST /</c>, and <c>GET /</c> carrying Action or X-Amz-Algorithm.</summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path != "/" && request.Path != string.Empty)
        {
            return false;
        }

        if (HttpMethods.IsPost(request.Method))
        {
            return true;
        }

        return HttpMethods.IsGet(request.Method) && (request.Query.ContainsKey("Action") || request.Query.ContainsKey("X-Amz-Algorithm"));
    }

    /// <summary>Answers one API request.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Date = DateTimeOffset.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var ns = StsXml.StsNamespace;
        try
        {
            var outcome = await ProcessAsync(http, requestId, v => ns = v).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                await WriteAsync(http, 200, outcome.Value).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(http, outcome.Error.HttpStatus, StsXml.Error(outcome.Error, requestId, ns)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // The door turns any bug into a generic InternalFailure, logged with the request id.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnhandled(_logger, ex, requestId);
            if (!http.Response.HasStarted)
            {
                var error = new StsError(StsErrorCode.InternalFailure, "We encountered an internal error. Please try again.");
                await WriteAsync(http, 500, StsXml.Error(error, requestId, ns)).ConfigureAwait(false);
            }
        }
    }

    private async Task<StsOutcome<string>> ProcessAsync(HttpContext http, string requestId, Action<string> setNamespace)
    {
        var request = http.Request;
        var ct = http.RequestAborted;
        var body = await ReadBodyAsync(request, ct).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Error;
        }

        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString);
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? string.Empty : rawTarget[(q + 1)..];
        var parsed = QueryParameters.Parse(rawQuery, body.Value);
        if (!parsed.Succeeded)
        {
            return parsed.Error;
        }

        var p = parsed.Value;
        var action = p["Action"];
        if (string.IsNullOrEmpty(action))
        {
            return new StsError(StsErrorCode.MissingAction, "The request must contain the parameter Action.");
        }

        var version = p["Version"];
        if (string.IsNullOrEmpty(version))
        {
            return new StsError(StsErrorCode.MissingParameter, "The request must contain the parameter Version.");
        }

        var isIam = version == IamVersion;
        if (isIam)
        {
            setNamespace(StsXml.IamNamespace);
        }
        else if (version != StsVersion)
        {
            return new StsError(StsErrorCode.InvalidParameterValue, $"Version {version} is not supported; use {StsVersion} for STS or {IamVersion} for IAM.");
        }

        if (isIam ? !IamApi.IsKnownAction(action) : !IsKnownStsAction(action))
        {
            return new StsError(StsErrorCode.InvalidAction, $"Could not find operation {action} for version {version}");
        }

        var info = new RequestInfo
        {
            RequestId = requestId,
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
            SecureTransport = request.IsHttps,
        };

        if (!isIam && IsUnsignedAction(action))
        {
            // STS-SPEC §5.1: noAuth operations ignore any Authorization header.
            return await DispatchUnsignedAsync(action, p, info, ct).ConfigureAwait(false);
        }

        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? string.Empty));
            }
        }

        var signed = SignedRequest.WithBody(request.Method, rawPath, rawQuery, headers, body.Value);
        var verified = await _verifier.VerifyAsync(signed, isIam ? _iamSigning : _stsSigning, ct).ConfigureAwait(false);
        if (!verified.Succeeded)
        {
            return verified.Error!;
        }

        if (verified.PrincipalState is RevokedSession revoked)
        {
            return new StsError(StsErrorCode.AccessDenied, $"User: {revoked.Claims.Arn} is not authorized to perform: {(isIam ? "iam" : "sts")}:{action} because the session has been revoked.");
        }

        if (verified.PrincipalState is not Caller caller)
        {
            return new StsError(StsErrorCode.InvalidClientTokenId, "The security token included in the request is invalid");
        }

        if (!_rateLimiter.TryAcquire(verified.AccessKeyId!))
        {
            return new StsError(StsErrorCode.Throttling, "Rate exceeded");
        }

        info = info with { Region = verified.Region };
        return isIam
            ? await _iam.DispatchAsync(action, p, caller, info, ct).ConfigureAwait(false)
            : await DispatchSignedAsync(action, p, caller, info, ct).ConfigureAwait(false);
    }

    private async Task<StsOutcome<byte[]>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is > 0 && request.ContentLength > _options.MaxBodyBytes)
        {
            return new StsError(StsErrorCode.ValidationError, $"The request body exceeds the maximum of {_options.MaxBodyBytes} bytes.");
        }

        var contentType = request.ContentType;
        if (!HttpMethods.IsPost(request.Method))
        {
            return Array.Empty<byte>();
        }

        if (contentType is not null && !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return new StsError(StsErrorCode.InvalidParameterValue, "The request body must be application/x-www-form-urlencoded.");
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        var pipe = request.BodyReader;
        while (true)
        {
            var read = await pipe.ReadAsync(ct).ConfigureAwait(false);
            foreach (var segment in read.Buffer)
            {
                if (buffer.WrittenCount + segment.Length > _options.MaxBodyBytes)
                {
                    pipe.AdvanceTo(read.Buffer.End);
                    return new StsError(StsErrorCode.ValidationError, $"The request body exceeds the maximum of {_options.MaxBodyBytes} bytes.");
                }

                buffer.Write(segment.Span);
            }

            pipe.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task WriteAsync(HttpContext http, int status, string xml)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        await http.Response.WriteAsync(xml, http.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error answering API request {RequestId}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}
