using System.Text;

namespace XmppConf.Core.Stanzas;

/// <summary>Maps condition enums to their XML element names ("BadFormat" → "bad-format") once, at start-up.</summary>
public static class ConditionNames
{
    private static readonly string[] StreamNames = Build<StreamErrorCondition>();
    private static readonly string[] StanzaNames = Build<StanzaErrorCondition>();
    private static readonly Dictionary<string, StanzaErrorCondition> StanzaByName =
        Enum.GetValues<StanzaErrorCondition>().ToDictionary(c => StanzaNames[(int)c], c => c);

    public static string ToXmlName(this StreamErrorCondition condition) => StreamNames[(int)condition];
    public static string ToXmlName(this StanzaErrorCondition condition) => StanzaNames[(int)condition];
    public static string ToXmlName(this StanzaErrorType type) => type.ToString().ToLowerInvariant();

    public static bool TryParseStanzaCondition(string name, out StanzaErrorCondition condition) =>
        StanzaByName.TryGetValue(name, out condition);

    private static string[] Build<T>() where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var names = new string[values.Length];
        foreach (var value in values)
        {
            names[Convert.ToInt32(value)] = Kebab(value.ToString());
        }
        return names;
    }

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('-');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
