namespace XmppConf.Core.Xml;

/// <summary>
/// Bounds the framer enforces while scanning bytes, before anything is parsed, so a hostile peer cannot
/// make the server buffer or build more than this (RFC 6120 §13.12 resource exhaustion).
/// </summary>
/// <param name="MaxStanzaBytes">Largest top-level element, in UTF-8 bytes from its '&lt;' to its final '&gt;'.</param>
/// <param name="MaxDepth">Deepest nesting inside one top-level element; the top-level element itself is depth 1.</param>
/// <param name="MaxElements">Most elements in one top-level element, itself included.</param>
/// <param name="AdmitNewNames">
/// Whether units may add new names to the framer's <see cref="XmlNameBudget"/>; false before authentication, when
/// only known names are accepted in the namespaces the process holds for good.
/// </param>
public sealed record FramerLimits(int MaxStanzaBytes = 262144, int MaxDepth = 64, int MaxElements = 25000, bool AdmitNewNames = true);
