using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;
using XmppConf.Core.Xml;

namespace XmppConf.Core.DataForms;

/// <summary>
/// A XEP-0004 data form (&lt;x xmlns='jabber:x:data'/&gt;), shared by MUC room configuration
/// (XEP-0045 §10.2), room info (§6.4) and ad-hoc commands (XEP-0050). Reported/item tables
/// (§3.4) are not modelled: no user of this type needs them.
/// </summary>
public sealed class DataForm
{
    /// <summary>The name of the hidden field that names the form's namespace (XEP-0068).</summary>
    public const string FormTypeVar = "FORM_TYPE";

    private static readonly XNamespace X = Ns.DataForms;

    public DataForm(DataFormType type, string? formType = null)
    {
        Type = type;
        if (formType is not null)
        {
            Fields.Add(new FormField(FormTypeVar, FormFieldType.Hidden).WithValue(formType));
        }
    }

    public static XName ElementName => X + "x";

    public DataFormType Type { get; }

    public string? Title { get; set; }

    public List<string> Instructions { get; } = [];

    public List<FormField> Fields { get; } = [];

    /// <summary>The value of the FORM_TYPE field, or null.</summary>
    public string? FormType => Field(FormTypeVar)?.Value;

    /// <summary>The first field with this var, or null.</summary>
    public FormField? Field(string var)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Var, var, StringComparison.Ordinal)) return field;
        }
        return null;
    }

    /// <summary>Adds a field and returns it, for fluent building.</summary>
    public FormField Add(FormField field)
    {
        Fields.Add(field);
        return field;
    }

    public XElement ToElement()
    {
        var x = new XElement(X + "x", new XAttribute("type", Type.ToXmlName()));
        if (Title is not null) x.Add(new XElement(X + "title", Title));
        foreach (var line in Instructions)
        {
            x.Add(new XElement(X + "instructions", line));
        }
        foreach (var field in Fields)
        {
            x.Add(field.ToElement());
        }
        return x;
    }

    /// <summary>
    /// Reads a form. Fails (with a reason) when the element is not a jabber:x:data &lt;x/&gt;, its
    /// type is missing or unknown, a field is malformed, or a var repeats (XEP-0004 §3.2: var
    /// MUST be unique within the form).
    /// </summary>
    public static bool TryParse(XElement element, [NotNullWhen(true)] out DataForm? form, [NotNullWhen(false)] out string? error)
    {
        form = null;
        if (element.Name != X + "x")
        {
            error = "Not a data form.";
            return false;
        }
        if (!DataFormTypeNames.TryParse(element.Attribute("type")?.Value, out var type))
        {
            error = "Missing or unknown form type.";
            return false;
        }
        var result = new DataForm(type)
        {
            Title = element.Element(X + "title")?.Value,
        };
        HashSet<string>? seen = null;
        foreach (var child in element.Elements())
        {
            if (child.Name == X + "instructions")
            {
                result.Instructions.Add(child.Value);
            }
            else if (child.Name == X + "field")
            {
                var field = FormField.FromElement(child);
                if (field is null)
                {
                    error = "Malformed field.";
                    return false;
                }
                if (field.Var is not null && !(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(field.Var))
                {
                    error = $"Field '{field.Var}' appears more than once.";
                    return false;
                }
                result.Fields.Add(field);
            }
        }
        form = result;
        error = null;
        return true;
    }

    /// <summary>The first jabber:x:data form among <paramref name="parent"/>'s children, parsed; null if none or malformed.</summary>
    public static DataForm? FindIn(XElement parent)
    {
        var x = parent.Element(X + "x");
        return x is not null && TryParse(x, out var form, out _) ? form : null;
    }
}
