namespace Portal.Bench.Http;

/// <summary>One closed-loop wrk scenario with the server CPU it cost.</summary>
internal sealed record ScenarioResult(string Name, string Description, WrkResult Wrk, CpuUsage Cpu)
{
    /// <summary>Server CPU milliseconds per answered request.</summary>
    public double ServerCpuMsPerRequest => Wrk.Requests > 0 ? Cpu.ProcessSeconds * 1000 / Wrk.Requests : double.NaN;
}

/// <summary>Everything one <c>http</c> run measured, for the report.</summary>
internal sealed record HttpBenchResults(
    HttpBenchOptions Options,
    MachineInfo Machine,
    string LoadBefore,
    string LoadAfter,
    DateTimeOffset StartedAt,
    string WrkVersion,
    ScenarioResult Baseline,
    ScenarioResult AssumeRole,
    ScenarioResult GetCallerIdentity,
    FixedRateResult FixedRate,
    CpuUsage FixedRateCpu,
    IReadOnlyList<StageTiming> Stages)
{
    /// <summary>Target: AssumeRole requests/s at least half of the baseline's.</summary>
    public const double AssumeRoleRatioTarget = 0.5;

    /// <summary>Target: GetCallerIdentity requests/s at least 0.7 of the baseline's.</summary>
    public const double GetCallerIdentityRatioTarget = 0.7;

    /// <summary>Target: AssumeRole p99 at half of its peak rate, in milliseconds.</summary>
    public const double AssumeRoleP99TargetMs = 5;

    /// <summary>AssumeRole requests/s over the baseline's.</summary>
    public double AssumeRoleRatio => AssumeRole.Wrk.RequestsPerSecond / Baseline.Wrk.RequestsPerSecond;

    /// <summary>GetCallerIdentity requests/s over the baseline's.</summary>
    public double GetCallerIdentityRatio => GetCallerIdentity.Wrk.RequestsPerSecond / Baseline.Wrk.RequestsPerSecond;

    /// <summary>Whether no measurement saw an error (otherwise the numbers are of failures, not of the server).</summary>
    public bool IsValid => Baseline.Wrk.IsValid && AssumeRole.Wrk.IsValid && GetCallerIdentity.Wrk.IsValid && FixedRate.IsValid;
}

/// <summary>
/// In-process cost of one pipeline stage (Stopwatch-instrumented, sequential, one caller): wall-clock percentiles and
/// the process CPU time per operation, which a machine shared with other work inflates much less than wall-clock time.
/// </summary>
internal sealed record StageTiming(string Stage, double P50Microseconds, double MeanMicroseconds, double P99Microseconds, double CpuMicroseconds, int Iterations);
