using System.Diagnostics.CodeAnalysis;

// The folder name is the layout STYLE §G prescribes (Components/Shared); only Visual Basic treats "Shared" as a keyword,
// and these components are consumed from Razor and C# only.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:Portal.Components.Shared",
    Justification = "Folder layout from STYLE §G; no Visual Basic consumers.")]
