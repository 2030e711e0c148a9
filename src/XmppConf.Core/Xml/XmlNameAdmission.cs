namespace XmppConf.Core.Xml;

/// <summary>What <see cref="XmlNameBudget.Admit"/> decided about one name.</summary>
public enum XmlNameAdmission
{
    Admitted,

    /// <summary>Not known, and new names are not being admitted (before authentication).</summary>
    Unknown,

    /// <summary>Longer than <see cref="XmlNameBudget.MaxNameLength"/>.</summary>
    TooLong,

    /// <summary>The budget is spent.</summary>
    Exhausted,
}
