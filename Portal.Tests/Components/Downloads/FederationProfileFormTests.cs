using Bunit;
using Portal.Components.Admin.Federation;
using Portal.Core.Iam;
using Portal.Services.Downloads;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Downloads;

public sealed class FederationProfileFormTests : PortalComponentTest
{
    private static readonly AccountInfo[] Accounts = [new("111122223333", "alpha", Now)];

    public static TheoryData<Action<FederationProfileInput>, string, string> InvalidInputs => new()
    {
        { i => i.Name = string.Empty, "profile-name", "Enter a name." },
        { i => i.UserName = string.Empty, "profile-user", "Enter the IAM user" },
        { i => i.DurationSeconds = 899, "profile-duration", "Choose between 900" },
        { i => i.DurationSeconds = 129601, "profile-duration", "Choose between 900" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Submit_InvalidField_ShowsTheErrorNextToThatFieldAndDoesNotSave(Action<FederationProfileInput> breakIt, string field, string message)
    {
        // Arrange
        var input = CreateValidInput();
        breakIt(input);
        var saved = false;
        var cut = Render<FederationProfileForm>(p => p.Add(c => c.Input, input).Add(c => c.Accounts, Accounts).Add(c => c.IsNew, true).Add(c => c.OnSave, _ => saved = true));

        // Act
        cut.Find("form").Submit();

        // Assert
        var fieldError = cut.Find($".mud-input-control:has([data-testid={field}]) .mud-input-helper-text.mud-input-error");
        Assert.Contains(message, fieldError.TextContent, StringComparison.Ordinal);
        Assert.False(saved);
    }

    [Fact]
    public void Render_ServerErrors_ShownUnderTheirFieldsWithTemplateLineAndColumn()
    {
        // Arrange
        var errors = new Dictionary<string, string>
        {
            [nameof(FederationProfileInput.UserName)] = "Choose an existing IAM user of this account.",
            [nameof(FederationProfileInput.PolicyTemplate)] = "Line 3, column 9: Unknown variable ${portal:groups}.\nLine 5, column 1: Expected '}'.",
        };

        // Act
        var cut = Render<FederationProfileForm>(p => p.Add(c => c.Input, CreateValidInput()).Add(c => c.Accounts, Accounts).Add(c => c.Errors, errors));

        // Assert
        var userError = cut.Find(".mud-input-control:has([data-testid=profile-user]) .mud-input-helper-text.mud-input-error");
        Assert.Contains("Choose an existing IAM user", userError.TextContent, StringComparison.Ordinal);
        var templateErrors = cut.FindAll("[data-testid=profile-template-errors] li").Select(li => li.TextContent).ToList();
        Assert.Equal(["Line 3, column 9: Unknown variable ${portal:groups}.", "Line 5, column 1: Expected '}'."], templateErrors);
        Assert.Empty(cut.FindAll(".mud-input-control:has([data-testid=profile-name]) .mud-input-error"));
    }

    [Fact]
    public void Submit_ValidInput_RaisesOnSaveWithGroupsAndPeoplePerLine()
    {
        // Arrange
        FederationProfileInput? saved = null;
        var cut = Render<FederationProfileForm>(p => p.Add(c => c.Input, CreateValidInput()).Add(c => c.Accounts, Accounts).Add(c => c.IsNew, true).Add(c => c.OnSave, i => saved = i));

        // Act
        cut.Find("form").Submit();

        // Assert
        Assert.NotNull(saved);
        var draft = saved.ToDraft();
        Assert.Equal(["customers", "partners"], draft.AllowedGroups);
        Assert.Equal(["carol"], draft.AllowedPeople);
        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    private static FederationProfileInput CreateValidInput() => new()
    {
        Name = "Customer files",
        AccountId = "111122223333",
        UserName = "broker",
        DurationSeconds = 3600,
        AllowedGroups = "customers\n partners \n",
        AllowedPeople = "carol",
    };
}
