using System.Reflection;
using System.Xml.Linq;

namespace Portal.Tests.Architecture;

public class DependencyTests
{
    private static readonly string[] ForbiddenPrefixes = ["Microsoft.AspNetCore", "Microsoft.JSInterop", "MudBlazor", "Portal,"];

    [Fact]
    public void PortalCore_ReferencesNoAspNetCoreAssembly_DirectlyOrTransitively()
    {
        // Arrange
        var core = typeof(Portal.Core.Identity.AccountId).Assembly;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>([core]);

        // Act: walk the reference graph of Portal.Core.
        while (queue.Count > 0)
        {
            foreach (var reference in queue.Dequeue().GetReferencedAssemblies())
            {
                if (!seen.Add(reference.FullName))
                {
                    continue;
                }

                try
                {
                    queue.Enqueue(Assembly.Load(reference));
                }
                catch (FileNotFoundException)
                {
                    // A facade that is not present at run time cannot pull anything in.
                }
            }
        }

        // Assert
        Assert.Contains(seen, n => n.StartsWith("System.Runtime,", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, n => ForbiddenPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void PortalCoreProject_HasNoFrameworkReferenceToAspNetCore()
    {
        // Arrange
        var project = Path.Combine(FindRepositoryRoot(), "Portal.Core", "Portal.Core.csproj");

        // Act
        var document = XDocument.Load(project);

        // Assert
        Assert.Equal("Microsoft.NET.Sdk", document.Root!.Attribute("Sdk")!.Value);
        Assert.Empty(document.Descendants("FrameworkReference"));
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
