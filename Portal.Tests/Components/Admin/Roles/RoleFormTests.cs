using Bunit;
using Portal.Components.Admin.Roles;
using Portal.Services.Admin;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Admin.Roles;

public class RoleFormTests : PortalComponentTest
{
    public static TheoryData<Action<RoleInput>, string, string> InvalidInputs => new()
    {
        { i => i.Name = string.Empty, "role-name", "Enter a role name." },
        { i => i.Name = "bad name!", "role-name", "Use 1–64 letters" },
        { i => i.MaxSessionDuration = 3599, "role-duration", "Choose between 3600" },
        { i => i.MaxSessionDuration = 43201, "role-duration", "Choose between 3600" },
        { i => i.Tags = "team", "role-tags", "is not key=value" },
        { i => i.Tags = "team=a\nTeam=b", "role-tags", "appears twice" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Submit_InvalidField_ShowsTheErrorNextToThatFieldAndDoesNotSave(Action<RoleInput> breakIt, string field, string message)
    {
        // Arrange
        var input = CreateValidInput();
        breakIt(input);
        var saved = false;
        var cut = Render<RoleForm>(p => p.Add(c => c.Input, input).Add(c => c.IsNew, true).Add(c => c.OnSave, _ => saved = true));

        // Act
        cut.Find("form").Submit();

        // Assert
        var fieldError = cut.Find($".mud-input-control:has([data-testid={field}]) .mud-input-helper-text.mud-input-error");
        Assert.Contains(message, fieldError.TextContent, StringComparison.Ordinal);
        Assert.False(saved);
    }

    [Fact]
    public void Submit_ValidInput_RaisesOnSave()
    {
        // Arrange
        RoleInput? saved = null;
        var cut = Render<RoleForm>(p => p.Add(c => c.Input, CreateValidInput()).Add(c => c.IsNew, true).Add(c => c.OnSave, i => saved = i));

        // Act
        cut.Find("form").Submit();

        // Assert
        Assert.NotNull(saved);
        Assert.Equal([new Portal.Core.Iam.Tag("team", "ops")], saved.ParsedTags());
        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    private static RoleInput CreateValidInput() => new() { Name = "Deploy", Description = "CI deploys", MaxSessionDuration = 7200, Tags = "team=ops" };
}
