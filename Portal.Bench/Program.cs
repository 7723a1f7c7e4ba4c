using BenchmarkDotNet.Running;
using Portal.Bench.Http;

// `-- http [options]` runs the HTTP load benchmark (Http/HttpBenchCommand.cs); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "http")
{
    return await HttpBenchCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
