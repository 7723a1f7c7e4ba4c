using BenchmarkDotNet.Running;
using Portal.Bench.Http;
using Portal.Bench.Ui;

// `-- http [options]` runs the HTTP load benchmark (Http/HttpBenchCommand.cs), `-- ui [options]` the browser
// benchmark (Ui/UiBenchCommand.cs); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "http")
{
    return await HttpBenchCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "ui")
{
    return await UiBenchCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
