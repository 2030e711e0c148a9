using System.Globalization;
using XmppConf.Core.DataForms;
using XmppConf.Core.Stanzas;

namespace XmppConf.Muc.Features;

/// <summary>Helpers features use to offer and read muc#roomconfig fields (XEP-0045 §15.5.3).</summary>
internal static class ConfigFields
{
    public static FormField Boolean(string var, string label, bool value) =>
        new FormField(var, FormFieldType.Boolean, label).WithBoolean(value);

    public static FormField Text(string var, string label, string value) =>
        new FormField(var, FormFieldType.TextSingle, label).WithValue(value);

    public static FormField ListSingle(string var, string label, string value, params (string Value, string Label)[] options)
    {
        var field = new FormField(var, FormFieldType.ListSingle, label).WithValue(value);
        foreach (var (v, l) in options) field.WithOption(v, l);
        return field;
    }

    /// <summary>Reads a boolean field; a bad value is not-acceptable (XEP-0045 §10.2: invalid values change nothing).</summary>
    public static bool TryReadBoolean(FormField field, out bool value, out StanzaError? error)
    {
        if (field.TryGetBoolean(out value))
        {
            error = null;
            return true;
        }
        error = Invalid(field);
        return false;
    }

    /// <summary>Reads a non-negative integer field.</summary>
    public static bool TryReadInt(FormField field, out int value, out StanzaError? error)
    {
        if (field.Value is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }
        value = 0;
        error = Invalid(field);
        return false;
    }

    public static StanzaError Invalid(FormField field) =>
        StanzaError.NotAcceptable($"Invalid value for {field.Var}.");
}
