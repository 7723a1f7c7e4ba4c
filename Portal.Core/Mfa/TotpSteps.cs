using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Portal.Core.Mfa;

/// <summary>RFC 6238 parameters and time-step arithmetic shared by enrolment and verification.</summary>
internal static class TotpSteps
{
    /// <summary>RFC 6238 §4.1 X: the time step in seconds (the default every authenticator app uses).</summary>
    internal const int StepSeconds = 30;

    /// <summary>Six digits, as IAM's TokenCode (STS-SPEC §1.1: exactly 6, <c>[\d]*</c>).</summary>
    internal const int Digits = 6;

    /// <summary>RFC 6238 §5.2: accept at most one step of network delay either side (case 101).</summary>
    internal static readonly VerificationWindow Window = new(previous: 1, future: 1);

    internal static Totp Create(byte[] secret) => new(secret, StepSeconds, OtpHashMode.Sha1, Digits);

    internal static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    internal static DateTimeOffset StepStart(long step) => DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds);

    /// <summary>Exactly six ASCII digits; anything else is rejected before Otp.NET sees it.</summary>
    internal static bool IsWellFormed(string? code)
    {
        if (code is null || code.Length != Digits)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Constant-time comparison of the code for <paramref name="step"/> with a well-formed candidate.</summary>
    internal static bool MatchesStep(Totp totp, long step, string code)
    {
        var expected = totp.ComputeTotp(StepStart(step).UtcDateTime);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code));
    }
}
