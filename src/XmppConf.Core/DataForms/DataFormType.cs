namespace XmppConf.Core.DataForms;

/// <summary>The four form types of XEP-0004 §3.1.</summary>
public enum DataFormType { Form, Submit, Cancel, Result }

/// <summary>XML names of <see cref="DataFormType"/>.</summary>
public static class DataFormTypeNames
{
    public static string ToXmlName(this DataFormType type) => type switch
    {
        DataFormType.Form => "form",
        DataFormType.Submit => "submit",
        DataFormType.Cancel => "cancel",
        DataFormType.Result => "result",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string? name, out DataFormType type)
    {
        switch (name)
        {
            case "form": type = DataFormType.Form; return true;
            case "submit": type = DataFormType.Submit; return true;
            case "cancel": type = DataFormType.Cancel; return true;
            case "result": type = DataFormType.Result; return true;
            default: type = default; return false;
        }
    }
}
