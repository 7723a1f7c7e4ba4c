using Bunit;
using Portal.Components.Shared;
using Portal.Core.Policies;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Shared;

public class PolicyEditorTests : PortalComponentTest
{
    private const string ValidPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:GetObject",
              "Resource": "*"
            }
          ]
        }
        """;

    // Line 5, the Effect value starting at column 17.
    private static readonly string MisspelledEffect = ValidPolicy.Replace("\"Allow\"", "\"Alow\"", StringComparison.Ordinal);

    [Fact]
    public void Render_ValidPolicy_ShowsNoErrorAndIsValid()
    {
        // Act
        var cut = RenderEditor(ValidPolicy);

        // Assert
        Assert.Empty(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.Empty(cut.FindAll(".mud-input-error"));
        Assert.True(cut.Instance.IsValid);
    }

    [Fact]
    public void Render_MalformedPolicy_ShowsLineColumnErrorAndMarksFieldInvalid()
    {
        // Act
        var cut = RenderEditor(MisspelledEffect);

        // Assert
        var error = Assert.Single(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.StartsWith("line 5, column 17: Effect must be", error.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll(".mud-input-error"));
        Assert.False(cut.Instance.IsValid);
    }

    [Fact]
    public void Render_InvalidJson_ReportsItsPosition()
    {
        // Act
        var cut = RenderEditor("{\"Statement\": ");

        // Assert
        var error = Assert.Single(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.StartsWith("line 1, column 15: invalid JSON", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TrustPolicyAsIdentity_UsesKindRules()
    {
        // Arrange: a valid identity policy lacks the Principal a trust policy requires.
        var cut = RenderEditor(ValidPolicy, PolicyKind.Trust);

        // Assert
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.False(cut.Instance.IsValid);
    }

    [Fact]
    public void Typing_BeforeDelay_DoesNotValidateYet()
    {
        // Arrange
        var cut = RenderEditor(ValidPolicy);

        // Act
        cut.Find("textarea").Input(MisspelledEffect);
        Time.Advance(TimeSpan.FromMilliseconds(299));

        // Assert
        Assert.Empty(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.False(cut.Instance.IsValid);
    }

    [Fact]
    public void Typing_AfterDelay_ShowsErrors()
    {
        // Arrange
        var cut = RenderEditor(ValidPolicy);

        // Act
        cut.Find("textarea").Input(MisspelledEffect);
        Time.Advance(TimeSpan.FromMilliseconds(300));

        // Assert
        cut.WaitForAssertion(() => Assert.StartsWith(
            "line 5, column 17: ", cut.Find("[data-testid=policy-errors] li").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Typing_FixesPolicy_ClearsErrorsAndReportsValid()
    {
        // Arrange
        var validity = new List<bool>();
        var cut = Render<PolicyEditor>(p => p
            .Add(e => e.Value, MisspelledEffect)
            .Add(e => e.IsValidChanged, v => validity.Add(v)));

        // Act
        cut.Find("textarea").Input(ValidPolicy);
        Time.Advance(TimeSpan.FromMilliseconds(300));

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=policy-errors] li")));
        Assert.True(cut.Instance.IsValid);
        Assert.Equal([true], validity);
    }

    [Fact]
    public void Typing_RaisesValueChangedOnEachEdit()
    {
        // Arrange
        string? value = null;
        var cut = Render<PolicyEditor>(p => p
            .Add(e => e.Value, ValidPolicy)
            .Add(e => e.ValueChanged, v => value = v));

        // Act
        cut.Find("textarea").Input("{");

        // Assert
        Assert.Equal("{", value);
    }

    [Fact]
    public void Format_ValidCompactPolicy_PrettyPrintsWithFourSpaces()
    {
        // Arrange
        string? value = null;
        var cut = Render<PolicyEditor>(p => p
            .Add(e => e.Value, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a+b"}]}""")
            .Add(e => e.ValueChanged, v => value = v));

        // Act
        cut.Find("[data-testid=policy-format]").Click();

        // Assert
        Assert.Equal(
            "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n"
            + "            \"Action\": \"s3:GetObject\",\n            \"Resource\": \"arn:aws:s3:::b/a+b\"\n        }\n    ]\n}",
            value);
        Assert.Equal(value, cut.Find("textarea").GetAttribute("value") ?? cut.Find("textarea").TextContent);
        Assert.True(cut.Instance.IsValid);
    }

    [Fact]
    public void Format_InvalidPolicy_IsDisabled()
    {
        // Act
        var cut = RenderEditor(MisspelledEffect);

        // Assert
        Assert.True(cut.Find("[data-testid=policy-format]").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_EmptyText_IsNotValidButShowsNoError()
    {
        // Act
        var cut = RenderEditor(string.Empty);

        // Assert
        Assert.Empty(cut.FindAll("[data-testid=policy-errors] li"));
        Assert.False(cut.Instance.IsValid);
        Assert.Contains("Enter a JSON policy document.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateNowAsync_DuringDelay_ValidatesImmediately()
    {
        // Arrange
        var cut = RenderEditor(ValidPolicy);
        cut.Find("textarea").Input(MisspelledEffect);

        // Act
        var valid = await cut.Instance.ValidateNowAsync();

        // Assert
        Assert.False(valid);
        Assert.Single(cut.FindAll("[data-testid=policy-errors] li"));
    }

    [Fact]
    public void Render_TextArea_IsMonospaceAndDescribedByErrors()
    {
        // Act
        var cut = RenderEditor(MisspelledEffect);

        // Assert
        var textArea = cut.Find(".portal-policy-editor textarea");
        Assert.Contains(".portal-policy-editor textarea { font-family:", cut.Find("style").TextContent, StringComparison.Ordinal);
        Assert.Equal(cut.Find("[data-testid=policy-errors]").Id, textArea.GetAttribute("aria-describedby"));
    }

    private IRenderedComponent<PolicyEditor> RenderEditor(string text, PolicyKind kind = PolicyKind.Identity) =>
        Render<PolicyEditor>(p => p.Add(e => e.Value, text).Add(e => e.Kind, kind));
}
