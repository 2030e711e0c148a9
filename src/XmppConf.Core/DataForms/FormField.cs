using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Core.DataForms;

/// <summary>
/// One &lt;field/&gt; of a data form (XEP-0004 §3.2). Mutable while a form is being built; values
/// are kept as the strings the wire carries, with typed readers for the common cases.
/// </summary>
public sealed class FormField
{
    private static readonly XNamespace X = Ns.DataForms;

    public FormField(string? var, FormFieldType? type = null, string? label = null)
    {
        Var = var;
        Type = type;
        Label = label;
    }

    /// <summary>The field name; only a "fixed" field may lack one (XEP-0004 §3.2).</summary>
    public string? Var { get; }

    /// <summary>The declared type; submitted forms often omit it (XEP-0004 §3.2: text-single is then assumed).</summary>
    public FormFieldType? Type { get; set; }

    public string? Label { get; set; }

    public string? Description { get; set; }

    public bool Required { get; set; }

    public List<string> Values { get; } = [];

    public List<FormOption> Options { get; } = [];

    /// <summary>The first value, or null when the field has none.</summary>
    public string? Value => Values.Count == 0 ? null : Values[0];

    /// <summary>All values joined by newlines, as text-multi fields are read (XEP-0004 §3.3).</summary>
    public string JoinedValue => Values.Count == 1 ? Values[0] : string.Join('\n', Values);

    /// <summary>
    /// Reads a boolean value: XEP-0004 §3.3 allows "0"/"false" and "1"/"true". A field with no
    /// value reads as false, as the XEP's default for boolean is false.
    /// </summary>
    public bool TryGetBoolean(out bool value)
    {
        switch (Value)
        {
            case null or "0" or "false": value = false; return true;
            case "1" or "true": value = true; return true;
            default: value = false; return false;
        }
    }

    public FormField WithValue(string value)
    {
        Values.Add(value);
        return this;
    }

    public FormField WithValues(IEnumerable<string> values)
    {
        Values.AddRange(values);
        return this;
    }

    public FormField WithBoolean(bool value)
    {
        Values.Add(value ? "1" : "0");
        return this;
    }

    public FormField WithOption(string value, string? label = null)
    {
        Options.Add(new FormOption(value, label));
        return this;
    }

    public XElement ToElement()
    {
        var field = new XElement(X + "field");
        if (Var is not null) field.SetAttributeValue("var", Var);
        if (Type is { } type) field.SetAttributeValue("type", type.ToXmlName());
        if (Label is not null) field.SetAttributeValue("label", Label);
        if (Description is not null) field.Add(new XElement(X + "desc", Description));
        if (Required) field.Add(new XElement(X + "required"));
        foreach (var value in Values)
        {
            field.Add(new XElement(X + "value", value));
        }
        foreach (var option in Options)
        {
            var o = new XElement(X + "option", new XElement(X + "value", option.Value));
            if (option.Label is not null) o.SetAttributeValue("label", option.Label);
            field.Add(o);
        }
        return field;
    }

    /// <summary>Reads a &lt;field/&gt;; null when it is malformed (unknown type, or no var on a non-fixed field).</summary>
    public static FormField? FromElement(XElement element)
    {
        FormFieldType? type = null;
        var typeName = element.Attribute("type")?.Value;
        if (typeName is not null)
        {
            if (!FormFieldTypeNames.TryParse(typeName, out var parsed)) return null;
            type = parsed;
        }
        var var = element.Attribute("var")?.Value;
        if (var is null && type != FormFieldType.Fixed) return null;
        var field = new FormField(var, type, element.Attribute("label")?.Value)
        {
            Description = element.Element(X + "desc")?.Value,
            Required = element.Element(X + "required") is not null,
        };
        foreach (var child in element.Elements())
        {
            if (child.Name == X + "value")
            {
                field.Values.Add(child.Value);
            }
            else if (child.Name == X + "option" && child.Element(X + "value") is { } optionValue)
            {
                field.Options.Add(new FormOption(optionValue.Value, child.Attribute("label")?.Value));
            }
        }
        return field;
    }
}
