var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

app.MapGet("/healthz", () => Results.Text("ok"));

app.Run();

/// <summary>The web host's entry point; public so the tests can host it.</summary>
public partial class Program;
