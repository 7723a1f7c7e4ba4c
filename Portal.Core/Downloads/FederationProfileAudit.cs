using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Core.Downloads;

/// <summary>
/// Audit events of administrators' changes to federation profiles: the acting administrator is the principal, the
/// profile id the resource, and the message a JSON object with the values before and after the change (no secret is
/// part of a profile), so a reviewer sees who widened which profile's policy or audience, and from what.
/// </summary>
public static class FederationProfileAudit
{
    /// <summary>Audit action of a profile creation.</summary>
    public const string CreateAction = "admin:CreateFederationProfile";

    /// <summary>Audit action of a profile change.</summary>
    public const string UpdateAction = "admin:UpdateFederationProfile";

    /// <summary>Audit action of a profile deletion.</summary>
    public const string DeleteAction = "admin:DeleteFederationProfile";

    /// <summary>
    /// <c>{"before":…,"after":…,"changed":[…]}</c> for a change that happened; <c>before</c> is null for a create and
    /// <c>after</c> for a delete; <c>changed</c> names the fields that differ.
    /// </summary>
    public static string Describe(FederationProfile? before, FederationProfile? after)
    {
        var beforeFields = before is null ? null : Fields(before);
        var afterFields = after is null ? null : Fields(after);
        return Write(writer =>
        {
            WriteObject(writer, "before", beforeFields);
            WriteObject(writer, "after", afterFields);
            writer.WriteStartArray("changed");
            foreach (var name in Changed(beforeFields, afterFields))
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>{"before":…,"attempted":…,"errors":{…}}</c> for a refused change: the profile as it is (null for a create or an
    /// unknown id), what the administrator submitted (null for a delete), and the refusal per field.
    /// </summary>
    public static string DescribeRefusal(FederationProfile? before, FederationProfileDraft? attempted, IReadOnlyDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Write(writer =>
        {
            WriteObject(writer, "before", before is null ? null : Fields(before));
            WriteObject(writer, "attempted", attempted is null ? null : Fields(attempted));
            writer.WriteStartObject("errors");
            foreach (var (field, message) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteString(field, message);
            }

            writer.WriteEndObject();
        });
    }

    private static List<(string Name, object? Value)> Fields(FederationProfile p) =>
    [
        ("id", p.Id), ("name", p.Name), ("description", p.Description), ("accountId", p.AccountId), ("userId", p.UserId),
        ("userName", p.UserName), ("policyTemplate", p.PolicyTemplate), ("durationSeconds", p.DurationSeconds),
        ("allowedGroups", p.AllowedGroups), ("allowedPeople", p.AllowedPeople),
    ];

    private static List<(string Name, object? Value)> Fields(FederationProfileDraft d) =>
    [
        ("name", d.Name), ("description", d.Description), ("accountId", d.AccountId), ("userName", d.UserName),
        ("policyTemplate", d.PolicyTemplate), ("durationSeconds", d.DurationSeconds),
        ("allowedGroups", d.AllowedGroups ?? []), ("allowedPeople", d.AllowedPeople ?? []),
    ];

    private static IEnumerable<string> Changed(List<(string Name, object? Value)>? before, List<(string Name, object? Value)>? after)
    {
        var names = (before ?? after ?? []).Select(f => f.Name);
        return names.Where(name => !string.Equals(Text(before, name), Text(after, name), StringComparison.Ordinal));
    }

    private static string? Text(List<(string Name, object? Value)>? fields, string name) =>
        fields?.FirstOrDefault(f => f.Name == name).Value switch
        {
            null => null,
            IReadOnlyList<string> list => string.Join('\n', list),
            int number => number.ToString(CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };

    private static void WriteObject(Utf8JsonWriter writer, string property, List<(string Name, object? Value)>? fields)
    {
        if (fields is null)
        {
            writer.WriteNull(property);
            return;
        }

        writer.WriteStartObject(property);
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case int number:
                    writer.WriteNumber(name, number);
                    break;
                case IReadOnlyList<string> list:
                    writer.WriteStartArray(name);
                    foreach (var item in list)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteString(name, value.ToString());
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
