using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Core.Identity;

namespace Portal.Core.Policies;

/// <summary>
/// Reads a policy with <see cref="Utf8JsonReader"/> into a <see cref="PolicyJsonNode"/> tree, then validates it
/// against the grammar and rules of STS-SPEC §7.1, collecting every error with its line and column.
/// </summary>
internal sealed class PolicyParser
{
    private const int MaxCharacterErrors = 10;

    private static readonly string[] SingleValuedKeys =
    [
        "aws:CurrentTime", "aws:EpochTime", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TokenIssueTime",
        "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:userid", "aws:username", "aws:SourceIp",
        "aws:SecureTransport", "aws:RequestedRegion", "aws:UserAgent", "aws:referer", "aws:SourceIdentity",
        "aws:FederatedProvider", "sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity",
    ];

    private static readonly string[] SingleValuedKeyPrefixes = ["aws:RequestTag/", "aws:PrincipalTag/", "aws:ResourceTag/"];

    private readonly string _text;
    private readonly PolicyKind _kind;
    private readonly byte[] _utf8;
    private readonly List<PolicyParseError> _errors = [];
    private int _currentOffset;
    private bool _variablesEnabled;

    public PolicyParser(string text, PolicyKind kind)
    {
        _text = text;
        _kind = kind;
        _utf8 = Encoding.UTF8.GetBytes(text);
    }

    private string KindName => _kind switch
    {
        PolicyKind.Identity => "identity",
        PolicyKind.Session => "session",
        PolicyKind.Trust => "trust",
        _ => "resource",
    };

    public PolicyParseResult Parse()
    {
        CheckCharacters();

        PolicyJsonNode root;
        try
        {
            var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            reader.Read();
            root = ReadValue(ref reader);

            // A second value after the document is a JSON error the reader raises here.
            reader.Read();
        }
        catch (JsonException ex)
        {
            AddJsonError(ex);
            return Failure();
        }
        catch (InvalidOperationException ex)
        {
            AddError(_currentOffset, "invalid JSON: " + ex.Message);
            return Failure();
        }

        var document = Validate(root);
        return _errors.Count == 0 && document is not null ? PolicyParseResult.Success(document) : Failure();
    }

    private PolicyParseResult Failure() =>
        PolicyParseResult.Failure(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray());

    /// <summary>§7.1: only U+0009, U+000A, U+000D and U+0020–U+00FF may appear anywhere in a policy.</summary>
    private void CheckCharacters()
    {
        var line = 1;
        var column = 1;
        var reported = 0;
        foreach (var c in _text)
        {
            if (c is not ('\t' or '\n' or '\r' or (>= ' ' and <= '\u00FF')) && reported++ < MaxCharacterErrors)
            {
                _errors.Add(new PolicyParseError(line, column, string.Create(CultureInfo.InvariantCulture,
                    $"character U+{(int)c:X4} is not allowed in a policy document (allowed: U+0009, U+000A, U+000D, U+0020-U+00FF)")));
            }

            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
    }

    private PolicyJsonNode ReadValue(ref Utf8JsonReader reader)
    {
        var offset = (int)reader.TokenStartIndex;
        _currentOffset = offset;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new PolicyJsonNode(JsonNodeKind.Object, offset);
                var names = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var nameOffset = (int)reader.TokenStartIndex;
                    _currentOffset = nameOffset;
                    var name = reader.GetString()!;
                    if (!names.Add(name))
                    {
                        // §7.1: no duplicate keys within an object (e.g. two Effects).
                        AddError(nameOffset, $"duplicate key \"{name}\"");
                    }

                    reader.Read();
                    obj.Properties.Add(new PolicyJsonProperty(name, nameOffset, ReadValue(ref reader)));
                }

                return obj;

            case JsonTokenType.StartArray:
                var array = new PolicyJsonNode(JsonNodeKind.Array, offset);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader));
                }

                return array;

            case JsonTokenType.String:
                return new PolicyJsonNode(JsonNodeKind.String, offset, reader.GetString());

            case JsonTokenType.Number:
                return new PolicyJsonNode(JsonNodeKind.Number, offset, Encoding.UTF8.GetString(reader.ValueSpan));

            case JsonTokenType.True:
                return new PolicyJsonNode(JsonNodeKind.True, offset, "true");

            case JsonTokenType.False:
                return new PolicyJsonNode(JsonNodeKind.False, offset, "false");

            default:
                return new PolicyJsonNode(JsonNodeKind.Null, offset);
        }
    }

    private PolicyDocument? Validate(PolicyJsonNode root)
    {
        if (root.Kind != JsonNodeKind.Object)
        {
            AddError(root.Offset, "a policy document must be a JSON object");
            return null;
        }

        string? version = null;
        string? id = null;
        PolicyJsonProperty? statementProperty = null;
        foreach (var property in root.Properties)
        {
            switch (property.Name)
            {
                case "Version":
                    if (property.Value.Kind != JsonNodeKind.String
                        || property.Value.Text is not (PolicyDocument.Version20121017 or PolicyDocument.Version20081017))
                    {
                        AddError(property.Value.Offset, "Version must be \"2012-10-17\" or \"2008-10-17\"");
                    }
                    else
                    {
                        version = property.Value.Text;
                    }

                    break;
                case "Id":
                    if (property.Value.Kind != JsonNodeKind.String)
                    {
                        AddError(property.Value.Offset, "Id must be a string");
                    }
                    else if (_kind == PolicyKind.Identity)
                    {
                        AddError(property.Offset, "Id is not allowed in identity policies");
                    }
                    else
                    {
                        id = property.Value.Text;
                    }

                    break;
                case "Statement":
                    statementProperty = property;
                    break;
                default:
                    AddError(property.Offset, $"unknown top-level element \"{property.Name}\" (expected Version, Id or Statement)");
                    break;
            }
        }

        // §7.1: without Version the 2008-10-17 rules apply and ${…} is literal text.
        _variablesEnabled = version == PolicyDocument.Version20121017;

        if (statementProperty is null)
        {
            AddError(root.Offset, "Statement is required");
            return null;
        }

        var statementNodes = statementProperty.Value.Kind switch
        {
            JsonNodeKind.Object => [statementProperty.Value],
            JsonNodeKind.Array => statementProperty.Value.Items,
            _ => null,
        };
        if (statementNodes is null)
        {
            AddError(statementProperty.Value.Offset, "Statement must be an object or an array of objects");
            return null;
        }

        if (statementNodes.Count == 0)
        {
            AddError(statementProperty.Value.Offset, "Statement must contain at least one statement");
            return null;
        }

        var statements = new List<PolicyStatement>(statementNodes.Count);
        var sids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in statementNodes)
        {
            var statement = ParseStatement(node, statements.Count, sids);
            if (statement is not null)
            {
                statements.Add(statement);
            }
        }

        return _errors.Count == 0 ? new PolicyDocument(_text, _kind, version, id, [.. statements]) : null;
    }

    private PolicyStatement? ParseStatement(PolicyJsonNode node, int index, HashSet<string> sids)
    {
        if (node.Kind != JsonNodeKind.Object)
        {
            AddError(node.Offset, "each statement must be a JSON object");
            return null;
        }

        var errorsBefore = _errors.Count;
        PolicyJsonProperty? sid = null, effect = null, principal = null, notPrincipal = null;
        PolicyJsonProperty? action = null, notAction = null, resource = null, notResource = null, condition = null;
        foreach (var property in node.Properties)
        {
            switch (property.Name)
            {
                case "Sid": sid = property; break;
                case "Effect": effect = property; break;
                case "Principal": principal = property; break;
                case "NotPrincipal": notPrincipal = property; break;
                case "Action": action = property; break;
                case "NotAction": notAction = property; break;
                case "Resource": resource = property; break;
                case "NotResource": notResource = property; break;
                case "Condition": condition = property; break;
                default:
                    AddError(property.Offset, $"unknown statement element \"{property.Name}\"");
                    break;
            }
        }

        var sidValue = ParseSid(sid, sids);
        var effectValue = ParseEffect(node, effect);
        var principalSpec = ParsePrincipalElement(node, principal, notPrincipal);
        var (actions, isNotAction) = ParseActionElement(node, action, notAction);
        var (resources, isNotResource) = ParseResourceElement(node, resource, notResource);
        var conditions = condition is null ? [] : ParseCondition(condition.Value);

        return _errors.Count == errorsBefore
            ? new PolicyStatement(index, sidValue, effectValue, principalSpec, actions, isNotAction, resources, isNotResource, conditions)
            : null;
    }

    private string? ParseSid(PolicyJsonProperty? sid, HashSet<string> sids)
    {
        if (sid is null)
        {
            return null;
        }

        if (sid.Value.Kind != JsonNodeKind.String)
        {
            AddError(sid.Value.Offset, "Sid must be a string");
            return null;
        }

        var value = sid.Value.Text!;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                // §7.1: IAM Sid values are ASCII letters and digits only.
                AddError(sid.Value.Offset, $"Sid \"{value}\" must contain only ASCII letters and digits");
                return null;
            }
        }

        if (value.Length > 0 && !sids.Add(value))
        {
            AddError(sid.Value.Offset, $"duplicate Sid \"{value}\"");
        }

        return value;
    }

    private StatementEffect ParseEffect(PolicyJsonNode statement, PolicyJsonProperty? effect)
    {
        if (effect is null)
        {
            AddError(statement.Offset, "Effect is required");
            return StatementEffect.Deny;
        }

        switch (effect.Value.Kind == JsonNodeKind.String ? effect.Value.Text : null)
        {
            case "Allow":
                return StatementEffect.Allow;
            case "Deny":
                return StatementEffect.Deny;
            default:
                AddError(effect.Value.Offset, "Effect must be \"Allow\" or \"Deny\"");
                return StatementEffect.Deny;
        }
    }

    private PrincipalSpec? ParsePrincipalElement(PolicyJsonNode statement, PolicyJsonProperty? principal, PolicyJsonProperty? notPrincipal)
    {
        if (_kind is PolicyKind.Identity or PolicyKind.Session)
        {
            foreach (var property in (ReadOnlySpan<PolicyJsonProperty?>)[principal, notPrincipal])
            {
                if (property is not null)
                {
                    AddError(property.Offset, $"{property.Name} is not allowed in {KindName} policies");
                }
            }

            return null;
        }

        if (principal is not null && notPrincipal is not null)
        {
            AddError(notPrincipal.Offset, "a statement cannot contain both Principal and NotPrincipal");
            return null;
        }

        if (_kind == PolicyKind.Trust && notPrincipal is not null)
        {
            AddError(notPrincipal.Offset, "NotPrincipal is not allowed in trust policies");
            return null;
        }

        var chosen = principal ?? notPrincipal;
        if (chosen is null)
        {
            AddError(statement.Offset, _kind == PolicyKind.Trust
                ? "trust policy statements must contain Principal"
                : "resource policy statements must contain Principal or NotPrincipal");
            return null;
        }

        return ParsePrincipal(chosen, isNot: notPrincipal is not null);
    }

    private PrincipalSpec? ParsePrincipal(PolicyJsonProperty property, bool isNot)
    {
        var value = property.Value;
        if (value.Kind == JsonNodeKind.String)
        {
            if (value.Text != "*")
            {
                AddError(value.Offset, $"{property.Name} must be \"*\" or an object such as {{\"AWS\": \"...\"}}");
                return null;
            }

            return new PrincipalSpec(isNot, [new PrincipalSpec.Entry(PrincipalTypes.Aws, "*")]);
        }

        if (value.Kind != JsonNodeKind.Object || value.Properties.Count == 0)
        {
            AddError(value.Offset, $"{property.Name} must be \"*\" or a non-empty object such as {{\"AWS\": \"...\"}}");
            return null;
        }

        var entries = new List<PrincipalSpec.Entry>();
        foreach (var typed in value.Properties)
        {
            if (typed.Name is not (PrincipalTypes.Aws or PrincipalTypes.Federated or PrincipalTypes.Service or PrincipalTypes.CanonicalUser))
            {
                AddError(typed.Offset, $"unknown principal type \"{typed.Name}\" (expected AWS, Federated, Service or CanonicalUser)");
                continue;
            }

            foreach (var (text, offset) in ReadStringList(typed.Value, $"{property.Name} {typed.Name}"))
            {
                // §7.2: no partial wildcards; only "*" (or {"AWS":"*"}) means everyone.
                if (text.Contains('*', StringComparison.Ordinal) && (text != "*" || typed.Name != PrincipalTypes.Aws))
                {
                    AddError(offset, $"principal \"{text}\" cannot contain a wildcard; only \"*\" or {{\"AWS\": \"*\"}} means everyone");
                    continue;
                }

                entries.Add(new PrincipalSpec.Entry(typed.Name, text));
            }
        }

        return new PrincipalSpec(isNot, [.. entries]);
    }

    private (string[] Actions, bool IsNot) ParseActionElement(PolicyJsonNode statement, PolicyJsonProperty? action, PolicyJsonProperty? notAction)
    {
        if (action is not null && notAction is not null)
        {
            AddError(notAction.Offset, "a statement must contain exactly one of Action or NotAction, not both");
            return ([], false);
        }

        var chosen = action ?? notAction;
        if (chosen is null)
        {
            AddError(statement.Offset, "a statement must contain Action or NotAction");
            return ([], false);
        }

        var actions = new List<string>();
        foreach (var (text, offset) in ReadStringList(chosen.Value, chosen.Name))
        {
            if (!IsValidAction(text))
            {
                AddError(offset, $"action \"{text}\" must be \"*\" or \"service:action\"");
                continue;
            }

            actions.Add(text);
        }

        return ([.. actions], notAction is not null);
    }

    /// <summary>§7.1: <c>*</c> or <c>service:ActionName</c>, both parts non-empty.</summary>
    private static bool IsValidAction(string text)
    {
        if (text == "*")
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        foreach (var c in text.AsSpan(0, colon))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        foreach (var c in text.AsSpan(colon + 1))
        {
            if (c == ':' || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private (ResourcePattern[]? Resources, bool IsNot) ParseResourceElement(PolicyJsonNode statement, PolicyJsonProperty? resource, PolicyJsonProperty? notResource)
    {
        if (resource is not null && notResource is not null)
        {
            AddError(notResource.Offset, "a statement must contain at most one of Resource or NotResource, not both");
            return (null, false);
        }

        var chosen = resource ?? notResource;
        if (chosen is null)
        {
            if (_kind is PolicyKind.Identity or PolicyKind.Session)
            {
                AddError(statement.Offset, $"statements of {KindName} policies must contain Resource or NotResource");
            }

            return (null, false);
        }

        var patterns = new List<ResourcePattern>();
        foreach (var (text, offset) in ReadStringList(chosen.Value, chosen.Name))
        {
            var pattern = ParseResource(text, offset);
            if (pattern is not null)
            {
                patterns.Add(pattern);
            }
        }

        return ([.. patterns], notResource is not null);
    }

    private ResourcePattern? ParseResource(string text, int offset)
    {
        if (text == "*")
        {
            return new ResourcePattern(text, null);
        }

        // The first five colons delimit the fields of §7.2; the resource part may contain more.
        var colons = new int[5];
        var found = 0;
        for (var i = 0; i < text.Length && found < 5; i++)
        {
            if (text[i] == ':')
            {
                colons[found++] = i;
            }
        }

        if (found < 5 || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            AddError(offset, $"resource \"{text}\" must be \"*\" or an ARN (arn:partition:service:region:account:resource)");
            return null;
        }

        var service = text.AsSpan(colons[1] + 1, colons[2] - colons[1] - 1);
        if (service.IsEmpty || GlobMatcher.HasWildcard(service))
        {
            AddError(offset, $"resource \"{text}\": the service field must be present and cannot contain wildcards");
            return null;
        }

        PolicyTemplate? template = null;
        var variable = text.IndexOf("${", StringComparison.Ordinal);
        if (_variablesEnabled && variable >= 0)
        {
            if (variable < colons[4])
            {
                AddError(offset, $"resource \"{text}\": policy variables are allowed only in the resource part (after the fifth colon)");
                return null;
            }

            template = ParseTemplate(text, offset);
        }

        return new ResourcePattern(text, template);
    }

    private ConditionClause[] ParseCondition(PolicyJsonNode node)
    {
        if (node.Kind != JsonNodeKind.Object)
        {
            AddError(node.Offset, "Condition must be an object of {\"Operator\": {\"key\": value}}");
            return [];
        }

        var clauses = new List<ConditionClause>();
        foreach (var operatorProperty in node.Properties)
        {
            var error = ConditionOperators.TryParse(operatorProperty.Name, out var op, out var qualifier, out var ifExists);
            if (error is not null)
            {
                AddError(operatorProperty.Offset, error);
                continue;
            }

            if (operatorProperty.Value.Kind != JsonNodeKind.Object || operatorProperty.Value.Properties.Count == 0)
            {
                AddError(operatorProperty.Value.Offset, $"condition operator \"{operatorProperty.Name}\" must map condition keys to values");
                continue;
            }

            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var keyProperty in operatorProperty.Value.Properties)
            {
                var clause = ParseClause(operatorProperty.Name, op, qualifier, ifExists, keyProperty, keys);
                if (clause is not null)
                {
                    clauses.Add(clause);
                }
            }
        }

        return [.. clauses];
    }

    private ConditionClause? ParseClause(string operatorName, ConditionOperator op, SetQualifier qualifier, bool ifExists,
        PolicyJsonProperty keyProperty, HashSet<string> keys)
    {
        var key = keyProperty.Name;
        if (key.Length == 0)
        {
            AddError(keyProperty.Offset, "condition key names cannot be empty");
            return null;
        }

        if (!keys.Add(key))
        {
            AddError(keyProperty.Offset, $"duplicate condition key \"{key}\" under \"{operatorName}\" (key names are case-insensitive)");
            return null;
        }

        if (qualifier != SetQualifier.None && IsSingleValued(key))
        {
            // §7.4: single-valued keys must not be used with set operators.
            AddError(keyProperty.Offset, $"\"{key}\" is a single-valued key and cannot be used with {qualifier}:");
            return null;
        }

        var nodes = keyProperty.Value.Kind == JsonNodeKind.Array ? keyProperty.Value.Items : [keyProperty.Value];
        if (nodes.Count == 0)
        {
            AddError(keyProperty.Value.Offset, $"condition values for \"{key}\" cannot be an empty list");
            return null;
        }

        var family = ConditionOperators.FamilyOf(op);
        var values = new List<ConditionValue>(nodes.Count);
        var errorsBefore = _errors.Count;
        foreach (var node in nodes)
        {
            if (!node.IsScalar)
            {
                AddError(node.Offset, $"condition values for \"{key}\" must be strings, numbers, booleans or an array of them");
                continue;
            }

            var value = ParseConditionValue(operatorName, family, node.Text!, node.Offset);
            if (value is not null)
            {
                values.Add(value);
            }
        }

        return _errors.Count == errorsBefore
            ? new ConditionClause(operatorName, op, qualifier, ifExists, key, [.. values])
            : null;
    }

    private ConditionValue? ParseConditionValue(string operatorName, ConditionFamily family, string text, int offset)
    {
        switch (family)
        {
            case ConditionFamily.Numeric:
                if (!ConditionValue.TryParseNumber(text, out var number))
                {
                    AddError(offset, $"\"{text}\" is not a number ({operatorName})");
                    return null;
                }

                return new ConditionValue(text) { Number = number };

            case ConditionFamily.Date:
                if (!ConditionValue.TryParseDate(text, out var date))
                {
                    AddError(offset, $"\"{text}\" is not an ISO 8601 date or epoch seconds ({operatorName})");
                    return null;
                }

                return new ConditionValue(text) { Date = date };

            case ConditionFamily.Ip:
                var cidr = IpCidr.TryParse(text);
                if (cidr is null)
                {
                    AddError(offset, $"\"{text}\" is not an IP address or CIDR block ({operatorName})");
                    return null;
                }

                return new ConditionValue(text) { Cidr = cidr };

            case ConditionFamily.Binary:
                var bytes = ConditionValue.TryDecodeBase64(text);
                if (bytes is null)
                {
                    AddError(offset, $"\"{text}\" is not base64 ({operatorName})");
                    return null;
                }

                return new ConditionValue(text) { Bytes = bytes };

            case ConditionFamily.Null:
                if (!bool.TryParse(text, out var flag))
                {
                    AddError(offset, $"Null condition values must be \"true\" or \"false\", not \"{text}\"");
                    return null;
                }

                return new ConditionValue(text) { BoolValue = flag };

            default:
                var template = _variablesEnabled && ConditionOperators.AllowsVariables(family) ? ParseTemplate(text, offset) : null;
                return new ConditionValue(text) { Template = template };
        }
    }

    private PolicyTemplate? ParseTemplate(string text, int offset)
    {
        var template = PolicyTemplate.TryParse(text, out var error);
        if (error is not null)
        {
            AddError(offset, error);
        }

        return template;
    }

    private static bool IsSingleValued(string key)
    {
        foreach (var known in SingleValuedKeys)
        {
            if (string.Equals(known, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in SingleValuedKeyPrefixes)
        {
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private List<(string Text, int Offset)> ReadStringList(PolicyJsonNode node, string element)
    {
        var result = new List<(string, int)>();
        if (node.Kind == JsonNodeKind.String)
        {
            result.Add((node.Text!, node.Offset));
            return result;
        }

        if (node.Kind != JsonNodeKind.Array)
        {
            AddError(node.Offset, $"{element} must be a string or an array of strings");
            return result;
        }

        if (node.Items.Count == 0)
        {
            AddError(node.Offset, $"{element} cannot be an empty list");
            return result;
        }

        foreach (var item in node.Items)
        {
            if (item.Kind == JsonNodeKind.String)
            {
                result.Add((item.Text!, item.Offset));
            }
            else
            {
                AddError(item.Offset, $"{element} must be a string or an array of strings");
            }
        }

        return result;
    }

    private void AddError(int byteOffset, string message)
    {
        var (line, column) = Locate(byteOffset);
        _errors.Add(new PolicyParseError(line, column, message));
    }

    private void AddJsonError(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        var lineIndex = (int)(ex.LineNumber ?? 0);
        var lineStart = 0;
        for (var i = 0; i < _utf8.Length && lineIndex > 0; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                lineIndex--;
                lineStart = i + 1;
            }
        }

        var end = Math.Min(_utf8.Length, lineStart + (int)(ex.BytePositionInLine ?? 0));
        var column = 1;
        for (var i = lineStart; i < end; i++)
        {
            if ((_utf8[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        _errors.Add(new PolicyParseError((int)(ex.LineNumber ?? 0) + 1, column, "invalid JSON: " + message));
    }

    /// <summary>Converts a UTF-8 byte offset to a 1-based line and character column.</summary>
    private (int Line, int Column) Locate(int byteOffset)
    {
        var line = 1;
        var column = 1;
        var end = Math.Min(byteOffset, _utf8.Length);
        for (var i = 0; i < end; i++)
        {
            var b = _utf8[i];
            if (b == (byte)'\n')
            {
                line++;
                column = 1;
            }
            else if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }
}
