namespace XmppConf.Core.DataForms;

/// <summary>The field types of XEP-0004 §3.3.</summary>
public enum FormFieldType
{
    Boolean,
    Fixed,
    Hidden,
    JidMulti,
    JidSingle,
    ListMulti,
    ListSingle,
    TextMulti,
    TextPrivate,
    TextSingle,
}

/// <summary>XML names of <see cref="FormFieldType"/>.</summary>
public static class FormFieldTypeNames
{
    public static string ToXmlName(this FormFieldType type) => type switch
    {
        FormFieldType.Boolean => "boolean",
        FormFieldType.Fixed => "fixed",
        FormFieldType.Hidden => "hidden",
        FormFieldType.JidMulti => "jid-multi",
        FormFieldType.JidSingle => "jid-single",
        FormFieldType.ListMulti => "list-multi",
        FormFieldType.ListSingle => "list-single",
        FormFieldType.TextMulti => "text-multi",
        FormFieldType.TextPrivate => "text-private",
        FormFieldType.TextSingle => "text-single",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string? name, out FormFieldType type)
    {
        switch (name)
        {
            case "boolean": type = FormFieldType.Boolean; return true;
            case "fixed": type = FormFieldType.Fixed; return true;
            case "hidden": type = FormFieldType.Hidden; return true;
            case "jid-multi": type = FormFieldType.JidMulti; return true;
            case "jid-single": type = FormFieldType.JidSingle; return true;
            case "list-multi": type = FormFieldType.ListMulti; return true;
            case "list-single": type = FormFieldType.ListSingle; return true;
            case "text-multi": type = FormFieldType.TextMulti; return true;
            case "text-private": type = FormFieldType.TextPrivate; return true;
            case "text-single": type = FormFieldType.TextSingle; return true;
            default: type = default; return false;
        }
    }
}
