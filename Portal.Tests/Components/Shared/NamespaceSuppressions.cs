using System.Diagnostics.CodeAnalysis;

// Mirrors Portal/Components/Shared (STYLE §G); only Visual Basic treats "Shared" as a keyword.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:Portal.Tests.Components.Shared",
    Justification = "Test folders mirror the source folders; no Visual Basic consumers.")]
