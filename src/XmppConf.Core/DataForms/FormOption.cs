namespace XmppConf.Core.DataForms;

/// <summary>One &lt;option/&gt; of a list field (XEP-0004 §3.2): a value and an optional label.</summary>
public sealed record FormOption(string Value, string? Label = null);
