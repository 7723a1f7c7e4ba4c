using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace Portal.Tests.Architecture;

/// <summary>
/// The UI issue: "secrets never kept in persisted component state". Prerendered Blazor pages can carry component state
/// into the HTML they send (PersistentComponentState / [PersistentState]); Portal never uses that channel, so nothing a
/// component holds — a secret access key, a session token, a TOTP seed, a recovery code — can leave the server that way.
/// </summary>
public class PersistedStateTests
{
    [Fact]
    public void PortalComponents_UseNoPersistedComponentState()
    {
        // Arrange
        var components = typeof(Portal.Components.App).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .ToList();

        // Act
        var offenders = components.SelectMany(PersistedStateUses).ToList();

        // Assert
        Assert.True(components.Count > 20, "the component scan found too few components to be meaningful");
        Assert.Empty(offenders);
    }

    [Fact]
    public void PersistedStateUses_ComponentWithPersistentStateProperty_IsReported()
    {
        // Act
        var uses = PersistedStateUses(typeof(LeakyComponent)).ToList();

        // Assert
        Assert.Equal(2, uses.Count);
        Assert.Contains(uses, u => u.Contains(nameof(LeakyComponent.SecretAccessKey), StringComparison.Ordinal));
        Assert.Contains(uses, u => u.Contains("PersistentComponentState", StringComparison.Ordinal));
    }

    [Fact]
    public void PortalHost_RegistersNoPersistentStateProviderOfItsOwn()
    {
        // Arrange: the host's code only (framework registrations are not Portal's choice).
        var portal = typeof(Portal.Components.App).Assembly;

        // Act
        var typesUsingState = portal.GetTypes()
            .Where(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Any(f => f.FieldType == typeof(PersistentComponentState)))
            .Select(t => t.FullName)
            .ToList();

        // Assert
        Assert.Empty(typesUsingState);
    }

    private static IEnumerable<string> PersistedStateUses(Type component)
    {
        const BindingFlags All = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var type = component; type is not null && type != typeof(ComponentBase); type = type.BaseType)
        {
            foreach (var property in type.GetProperties(All))
            {
                if (property.GetCustomAttribute<PersistentStateAttribute>() is not null)
                {
                    yield return $"{type.FullName}.{property.Name} is [PersistentState]";
                }

                if (property.PropertyType == typeof(PersistentComponentState))
                {
                    yield return $"{type.FullName}.{property.Name} injects PersistentComponentState";
                }
            }

            foreach (var field in type.GetFields(All))
            {
                if (field.FieldType == typeof(PersistentComponentState) && !field.Name.Contains("k__BackingField", StringComparison.Ordinal))
                {
                    yield return $"{type.FullName}.{field.Name} holds PersistentComponentState";
                }
            }
        }
    }

    private sealed class LeakyComponent : ComponentBase
    {
        [PersistentState]
        public string? SecretAccessKey { get; set; }

        [Inject]
        private PersistentComponentState State { get; set; } = default!;

        public bool HasState => State is not null;
    }
}
