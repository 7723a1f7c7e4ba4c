using System.Reflection;

namespace Portal.Tests.Architecture;

public class DependencyTests
{
    [Fact]
    public void PortalCore_ReferencesNoAspNetCoreAssembly()
    {
        // Arrange
        var core = typeof(Portal.Core.Identity.AccountId).Assembly;

        // Act
        var offending = core.GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || n.StartsWith("Microsoft.JSInterop", StringComparison.Ordinal)
                || n.StartsWith("MudBlazor", StringComparison.Ordinal))
            .ToList();

        // Assert
        Assert.Empty(offending);
        Assert.Contains(core.GetReferencedAssemblies(), a => a.Name == "System.Runtime");
    }
}
