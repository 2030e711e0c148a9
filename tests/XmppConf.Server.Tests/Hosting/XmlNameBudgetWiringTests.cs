using System.Reflection;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.Xml;
using XmppConf.Server.Hosting;

namespace XmppConf.Server.Tests.Hosting;

/// <summary>
/// The server's <see cref="XmlNameBudget"/> must cover every namespace XmppConf holds for good: a static XName or
/// XNamespace keeps its namespace, and every name ever created in it, alive for the whole process.
/// </summary>
[TestClass]
public sealed class XmlNameBudgetWiringTests
{
    [TestMethod]
    public async Task EveryStaticallyHeldNamespace_IsBudgeted()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:Domain"] = "localhost",
            ["Server:DataDirectory"] = Path.Combine(Path.GetTempPath(), "xmppconf-names-" + Guid.NewGuid().ToString("N")[..12]),
            ["Limits:MaxDistinctXmlNames"] = "1234",
        }).Build();
        await using var app = XmppConfServer.Build(configuration);
        var budget = app.Services.GetRequiredService<XmlNameBudget>();
        Assert.AreEqual(1234, budget.Capacity);
        var budgeted = budget.PermanentNamespaces.ToHashSet();

        var held = StaticallyHeldNamespaces().ToList();
        Assert.IsTrue(held.Count > 20, "the scan must find the server's static names: " + held.Count);
        var missing = held.Where(h => !budgeted.Contains(h.Namespace)).Select(h => $"{h.Field}: {{{h.Namespace}}}").ToList();
        Assert.AreEqual(0, missing.Count, "add these namespaces to Ns, MucNs or the budget's list:\n" + string.Join("\n", missing));
    }

    private static IEnumerable<(string Field, string Namespace)> StaticallyHeldNamespaces()
    {
        Assembly[] assemblies = [typeof(Ns).Assembly, typeof(Muc.MucNs).Assembly, typeof(XmppConfServer).Assembly, typeof(Storage.EmbeddedStorage).Assembly];
        foreach (var assembly in assemblies)
        {
            foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
            {
                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    var ns = field.FieldType == typeof(XNamespace) ? field.GetValue(null) as XNamespace
                        : field.FieldType == typeof(XName) ? (field.GetValue(null) as XName)?.Namespace
                        : null;
                    if (ns is not null) yield return ($"{type.FullName}.{field.Name}", ns.NamespaceName);
                }
            }
        }
    }
}
