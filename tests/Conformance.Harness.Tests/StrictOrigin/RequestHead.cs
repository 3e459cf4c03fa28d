namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>The form of the request-target (RFC 9112 §3.2).</summary>
internal enum TargetForm
{
    Origin,
    Absolute,
    Authority,
    Asterisk,
}

/// <summary>A parsed request head: the request-line and the field lines, each line its own entry, in order.</summary>
internal sealed record RequestHead(
    string Method,
    string RawTarget,
    TargetForm Form,
    string Path,
    string Query,
    int Minor,
    IReadOnlyList<(string Name, string Value)> Fields)
{
    /// <summary>The authority the request is for: the absolute-form's, else the Host field's (RFC 9112 §3.2.2, §3.3).</summary>
    public string Authority { get; init; } = "";

    public bool IsHttp10 => Minor == 0;

    public IEnumerable<string> Values(string name) =>
        Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    /// <summary>
    /// The members of a list-valued field across all its lines (RFC 9110 §5.3, §5.6.1), trimmed of OWS, empty
    /// elements dropped ("a recipient MUST parse and ignore a reasonable number of empty list elements").
    /// </summary>
    public IEnumerable<string> ListMembers(string name) =>
        Values(name).SelectMany(v => v.Split(',')).Select(m => m.Trim(' ', '\t')).Where(m => m.Length > 0);

    /// <summary>A connection option of the Connection field (RFC 9110 §7.6.1), compared case-insensitively.</summary>
    public bool HasConnectionOption(string option) =>
        ListMembers("Connection").Any(m => m.Equals(option, StringComparison.OrdinalIgnoreCase));
}
